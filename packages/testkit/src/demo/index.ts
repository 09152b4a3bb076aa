export { DEMO_DATABASE_NAME, DEMO_SEED, DEMO_SIZE } from './demo-defaults.ts';
export { addDemoPlans } from './demo-plans.ts';
export {
  DEMO_TEAMS_SETTING,
  type EnsureDemoOrgOptions,
  type EnsureDemoOrgResult,
  ensureDemoOrg,
} from './ensure-demo-org.ts';
export {
  DEMO_ORG_SETTING,
  DEMO_SETTING,
  type DemoOrgMeta,
  type LoadDemoOrgOptions,
  type LoadDemoOrgResult,
  loadDemoOrg,
} from './load-demo-org.ts';
export {
  buildRecordedDemoConfig,
  RECORDED_BACKFILL_SINCE,
  RECORDED_DEMO_DIR,
} from './recorded-demo-config.ts';
