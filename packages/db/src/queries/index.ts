// Every SQL query of Stride lives in this folder, one operation per file; each takes the
// executor (a Kysely instance or transaction) first.

export { syncTeamsFromConfig } from './sync-teams-from-config.ts';
export { upsertRawPayloads } from './upsert-raw-payloads.ts';
