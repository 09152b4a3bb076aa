export { type CollectorConfig, loadCollectorConfig } from './config.ts';
