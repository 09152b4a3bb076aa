// `npm run webhook-token -- <source>`: creates a bearer token for POST /api/webhooks/deployments and
// /api/webhooks/incidents, for one sending system (e.g. argocd, jenkins, pagerduty). Only its SHA-256
// hash is stored; the token is printed once, here. With the embedded database, run it while
// `npm start` is stopped (one server per data directory), or point DATABASE_URL at the server.
import { resolve } from 'node:path';
import { loadApiConfig } from '@stride/api';
import { createApiToken, migrateToLatest, openDatabase } from '@stride/db';

const source = process.argv[2];
if (!source || !/^[a-z0-9][a-z0-9._-]{0,62}$/.test(source)) {
  console.error(
    'usage: npm run webhook-token -- <source>\n  source: the sending system, lowercase letters, digits, . _ - (e.g. argocd, pagerduty)',
  );
  process.exit(2);
}

const config = loadApiConfig();
const database = await openDatabase({
  databaseUrl: config.DATABASE_URL,
  dataDir: resolve(config.STRIDE_DATA_DIR, 'pg'),
});
try {
  await migrateToLatest(database.db);
  const { token } = await createApiToken(database.db, {
    name: `webhook:${source}`,
    role: 'webhook',
    scope: source,
  });
  console.log(
    `Webhook token for source '${source}' (shown once, store it in the sender's secrets):\n\n${token}\n`,
  );
  console.log(
    'Send it as "Authorization: Bearer <token>" to POST /api/webhooks/deployments or /api/webhooks/incidents.',
  );
} finally {
  await database.close();
}
