// Browser-safe exports. The config file loader (node only) is `@stride/shared/config`.
export * from './api/index.ts';
export * from './csv.ts';
export * from './errors.ts';
export * from './names.ts';
export * from './random.ts';
export * from './safe-url.ts';
