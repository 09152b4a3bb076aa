// Pure metric functions (no clock, database or network): see docs/metrics.md.
export * from './benchmarks.ts';
export * from './deployment-frequency.ts';
export * from './goals.ts';
export * from './percentile.ts';
export * from './performance-levels.ts';
export * from './period.ts';
export * from './pull-request-wait.ts';
export * from './team-size.ts';
export * from './trend.ts';
