// `tsx packages/testkit/src/fakes/serve-fake-github.ts [options]`: the fake GitHub API on a free
// local port (prints its URL on the first line), for trying the collector by hand
// (GITHUB_API_URL=<url> npm run collect -- --once) and for benches that keep the fake out of the
// measured process. Options: `--generated-repositories N` (recorded fixtures plus N generated
// repositories), or a generated organisation alone: `--owner O --repositories N
// --pulls-per-repository P --seed S`; `--rate-limit N`, `--graphql-rate-limit N` (budgets per hour).
import { parseArgs } from 'node:util';
import { startFakeGitHubServer } from './github-api-server.ts';

const { values } = parseArgs({
  options: {
    'generated-repositories': { type: 'string' },
    owner: { type: 'string' },
    repositories: { type: 'string' },
    'pulls-per-repository': { type: 'string' },
    seed: { type: 'string' },
    'rate-limit': { type: 'string' },
    'graphql-rate-limit': { type: 'string' },
  },
});
const number = (name: keyof typeof values) => {
  const text = values[name];
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name}: expected a whole number, got ${text}`);
  return n;
};
const generated = number('generated-repositories') ?? 0;
const budgets = {
  ...(number('rate-limit') !== undefined ? { rateLimit: number('rate-limit')! } : {}),
  ...(number('graphql-rate-limit') !== undefined ? { graphqlRateLimit: number('graphql-rate-limit')! } : {}),
};
const server = await startFakeGitHubServer(
  values.owner
    ? {
        fixturesDir: null,
        generated: {
          owner: values.owner,
          repositories: number('repositories') ?? 3,
          pullsPerRepository: number('pulls-per-repository') ?? 200,
          seed: number('seed') ?? 2026,
        },
        ...budgets,
      }
    : { ...(generated > 0 ? { generated: { repositories: generated } } : {}), ...budgets },
);
console.log(server.url);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
