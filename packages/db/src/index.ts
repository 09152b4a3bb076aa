export * from './bulk/index.ts';
export * from './connection.ts';
export * from './migrate.ts';
export * from './queries/index.ts';
export * from './query-scope.ts';
export * from './schema.ts';
