// `tsx packages/testkit/src/fakes/serve-fake-github.ts [--generated-repositories N]`: the fake
// GitHub API on a free local port (prints its URL), for trying the collector by hand:
// GITHUB_API_URL=<url> npm run collect -- --once
import { parseArgs } from 'node:util';
import { startFakeGitHubServer } from './github-api-server.ts';

const { values } = parseArgs({ options: { 'generated-repositories': { type: 'string' } } });
const generated = values['generated-repositories'] ? Number(values['generated-repositories']) : 0;
const server = await startFakeGitHubServer(generated > 0 ? { generated: { repositories: generated } } : {});
console.log(server.url);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
