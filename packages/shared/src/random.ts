// The seeded generator lives in @stride/metrics (its bootstrap intervals need it, and metrics imports nothing).
export { mulberry32 } from '@stride/metrics';
