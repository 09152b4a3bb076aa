export { type BuildAppOptions, buildApp } from './app.ts';
export { type ApiConfig, loadApiConfig } from './config.ts';
export { type DigestJobs, startDigestJobs } from './digest/digest-jobs.ts';
