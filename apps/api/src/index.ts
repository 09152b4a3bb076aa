export { type BuildAppOptions, buildApp } from './app.ts';
export { type ApiConfig, loadApiConfig } from './config.ts';
