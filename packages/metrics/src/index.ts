// Pure metric functions (no clock, database or network): see docs/metrics.md.

export * from './ai-impact.ts';
export * from './benchmarks.ts';
export * from './deployment-frequency.ts';
export * from './goals.ts';
export * from './percentile.ts';
export * from './performance-levels.ts';
export * from './period.ts';
export * from './pull-request-wait.ts';
export * from './seeded-random.ts';
export * from './severity.ts';
export * from './team-size.ts';
export * from './trend.ts';
