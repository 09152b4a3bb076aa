// The HTTP API contract, one file per resource; `endpoints.ts` maps every path to its schemas.
export * from './admin.ts';
export * from './agreements.ts';
export * from './ai-impact.ts';
export * from './annotations.ts';
export * from './changes.ts';
export * from './common.ts';
export * from './deployments.ts';
export * from './digest.ts';
export * from './dora.ts';
export * from './endpoints.ts';
export * from './goals.ts';
export * from './health.ts';
export * from './incidents.ts';
export * from './session.ts';
export * from './sync-status.ts';
export * from './teams.ts';
export * from './webhooks.ts';
