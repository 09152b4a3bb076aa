// Pure metric functions (no clock, database or network): see docs/metrics.md.
export {};
