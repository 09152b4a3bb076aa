export { type CollectorConfig, loadCollectorConfig } from './config.ts';
export { DEMO_DATABASE_NAME, DEMO_SEED, DEMO_SIZE } from './demo/demo-defaults.ts';
export {
  type EnsureDemoOrgOptions,
  type EnsureDemoOrgResult,
  ensureDemoOrg,
} from './demo/ensure-demo-org.ts';
export { DEMO_OWNER, type DemoOrg, type DemoOrgOptions, generateDemoOrg } from './demo/generate-demo-org.ts';
export { DEMO_ORG_SETTING, DEMO_SETTING, type DemoOrgMeta, loadDemoOrg } from './demo/load-demo-org.ts';
export { buildRecordedDemoConfig, RECORDED_BACKFILL_SINCE } from './demo/recorded-demo-config.ts';
