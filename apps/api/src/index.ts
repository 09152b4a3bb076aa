export { type BuildAppOptions, buildApp } from './app.ts';
export {
  type ApiConfig,
  type DigestChannels,
  loadApiConfig,
  resolveDigestChannels,
} from './config.ts';
export { buildDigest, type DigestContent } from './digest/build-digest.ts';
export { deliverDigest } from './digest/deliver-digest.ts';
export { type DigestJobs, startDigestJobs } from './digest/digest-jobs.ts';
export { digestPeriodNow } from './digest/digest-period.ts';
export { renderDigest } from './digest/render-digest.ts';
