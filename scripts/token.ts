// `npm run token -- list [--all]`: API tokens (id, role, origin, hash prefix, created, last used).
// `npm run token -- create viewer|admin <name>`: a viewer or admin token, printed once.
// `npm run token -- create webhook <source>`: a webhook token for a sending system (argocd, …).
// `npm run token -- revoke <id | hash prefix | webhook:<source>>`: revokes it and its sessions.
// Works on the database `npm start` serves (the demo's own database when there is no config).
// Only SHA-256 hashes are stored. With the embedded database it uses the server of a running
// `npm start` on the same data directory, or starts one for itself while Stride is stopped.
import { loadApiConfig } from '@stride/api';
import {
  createApiToken,
  EmbeddedPostgresError,
  listApiTokens,
  migrateToLatest,
  openDatabase,
  revokeApiTokens,
  revokeApiTokensByReference,
} from '@stride/db';
import { productDatabase } from './product-database.ts';

const USAGE = `usage:
  npm run token -- list [--all]                    live tokens (--all: also revoked ones and sessions)
  npm run token -- create viewer|admin <name>      prints the new token once
  npm run token -- create webhook <source>         token for POST /api/webhooks/deployments|incidents
  npm run token -- revoke <id>|<hash prefix>|webhook:<source>`;
const SOURCE = /^[a-z0-9][a-z0-9._-]{0,62}$/;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

const [command, ...args] = process.argv.slice(2);
if (command !== 'list' && command !== 'create' && command !== 'revoke')
  fail(`unknown command '${command ?? ''}'`);
if (command === 'create') {
  const [role, name] = args;
  if (role !== 'viewer' && role !== 'admin' && role !== 'webhook')
    fail('create: role must be viewer, admin or webhook');
  if (!name) fail(`create ${role}: a ${role === 'webhook' ? 'source' : 'name'} is required`);
  if (role === 'webhook' && !SOURCE.test(name))
    fail('create webhook: source is lowercase letters, digits, . _ - (e.g. argocd, pagerduty)');
}
if (command === 'revoke' && !args[0])
  fail('revoke: give an id, a hash prefix (8+ hex digits) or webhook:<source>');

const config = loadApiConfig();
const target = productDatabase(config);
const database = await openDatabase({ ...target.open, shareRunning: true }).catch((error: unknown) => {
  // One line for the operator (a locked, full or unreachable data directory), not a stack trace.
  if (!(error instanceof EmbeddedPostgresError)) throw error;
  console.error(`npm run token: ${error.message}`);
  process.exit(1);
});
try {
  await migrateToLatest(database.db);
  console.error(
    `database: ${config.DATABASE_URL ? 'DATABASE_URL' : `embedded`}${target.demo ? ' (demo)' : ''}`,
  );
  if (command === 'list') {
    const all = args.includes('--all');
    const rows = await listApiTokens(database.db, { includeRevoked: all, sessions: all });
    const table = rows.map((r) => ({
      id: r.id,
      role: r.role,
      kind: r.kind,
      name: r.name,
      origin: r.origin,
      hash: r.hashPrefix,
      created: r.createdAt.toISOString().slice(0, 16),
      lastUsed: r.lastUsedAt?.toISOString().slice(0, 16) ?? '',
      ...(all
        ? { revoked: r.revokedAt ? `${r.revokedAt.toISOString().slice(0, 16)} ${r.revokedReason ?? ''}` : '' }
        : {}),
    }));
    if (table.length === 0) console.log('no tokens');
    else console.table(table);
  } else if (command === 'create') {
    const [role, name] = args as ['viewer' | 'admin' | 'webhook', string];
    const { token } = await createApiToken(database.db, {
      name: role === 'webhook' ? `webhook:${name}` : name,
      role,
      ...(role === 'webhook' ? { scope: name } : {}),
      origin: 'cli',
    });
    console.log(
      `${role} token${role === 'webhook' ? ` for source '${name}'` : ` '${name}'`} (shown once, store it now):\n\n${token}\n`,
    );
    console.log(
      role === 'webhook'
        ? 'Send it as "Authorization: Bearer <token>" to POST /api/webhooks/deployments or /api/webhooks/incidents.'
        : 'Send it as "Authorization: Bearer <token>", or sign in with it in the dashboard.',
    );
  } else {
    const what = args[0]!;
    const revoked = what.startsWith('webhook:')
      ? await revokeApiTokens(database.db, { webhookSource: what.slice('webhook:'.length) }, 'admin')
      : await revokeApiTokensByReference(database.db, what, 'admin');
    if (revoked.length === 0) {
      console.error(`no live token matches '${what}'`);
      process.exitCode = 1;
    } else console.log(`revoked ${revoked.length} token(s): ${revoked.join(', ')} (and their sessions)`);
  }
} finally {
  await database.close();
}
