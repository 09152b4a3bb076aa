// Demo organisation generation and loading, in rows per second, at two sizes (the ratio shows
// how loading scales). Uses a fresh database: on DATABASE_URL's server, or an embedded
// PostgreSQL in a temporary directory.
import { randomBytes } from 'node:crypto';
import { loadCollectorConfig } from '@stride/collector';
import {
  createDb,
  ensureDatabase,
  migrateToLatest,
  startScratchPostgres,
  withDatabaseName,
} from '@stride/db';
import { generateDemoOrg } from '@stride/testkit';
import { loadDemoOrg } from '@stride/testkit/demo';
import { sql } from 'kysely';

const env = loadCollectorConfig();
const server = await startScratchPostgres(env.DATABASE_URL, 'stride-bench-');
const { adminUrl } = server;
const end = new Date('2026-11-23T12:00:00Z');
const sizes = [
  { teams: 8, years: 2 },
  { teams: 16, years: 2 },
];

const results: { label: string; rows: number; genRate: number; loadRate: number; loadSeconds: number }[] = [];
try {
  for (const size of sizes) {
    const name = `stride_bench_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const db = createDb(withDatabaseName(adminUrl, name), 4);
    try {
      await migrateToLatest(db);
      const t0 = performance.now();
      const org = generateDemoOrg({ seed: 2026, end, ...size });
      const genSeconds = (performance.now() - t0) / 1000;
      const generated =
        org.repositories.length +
        org.pullRequests.length +
        org.reviews.length +
        org.commits.length +
        org.deployments.length +
        org.incidents.length +
        org.jiraIssues.length +
        org.jiraTransitions.length;
      const load = await loadDemoOrg(db, org, {
        seed: 2026,
        ...size,
        repositories: size.teams * 5,
        end: end.toISOString(),
      });
      results.push({
        label: `${size.teams} teams x ${size.years} years`,
        rows: load.total,
        genRate: generated / genSeconds,
        loadRate: load.total / load.seconds,
        loadSeconds: load.seconds,
      });
    } finally {
      await db.destroy();
      const admin = createDb(adminUrl, 1);
      await sql.raw(`drop database if exists "${name}" with (force)`).execute(admin);
      await admin.destroy();
    }
  }
} finally {
  await server.stop();
}

for (const r of results) {
  console.log(
    `demo org ${r.label.padEnd(20)} ${String(r.rows).padStart(8)} rows  generate ${Math.round(r.genRate).toLocaleString('en')} rows/s  load ${Math.round(r.loadRate).toLocaleString('en')} rows/s (${r.loadSeconds.toFixed(1)} s)`,
  );
}
if (results.length === 2) {
  console.log(
    `load rate ratio ${results[1]!.label} / ${results[0]!.label}: ${(results[1]!.loadRate / results[0]!.loadRate).toFixed(2)} (1.00 = linear scaling)`,
  );
}
