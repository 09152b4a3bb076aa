export * from './stride-config.ts';
