// GitHub payload → row transforms (packages/ingest/src/transform/github), in payloads per second,
// on the recorded payloads of tests/fixtures/recorded replicated to volume. The ratio column
// compares each transform with JSON.parse of the same payloads (the floor of any ingestion).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  transformDeployment,
  transformDeploymentStatus,
  transformIssueToIncident,
  transformPullRequest,
  transformPullRequestCommit,
  transformReview,
  transformWorkflowRun,
} from '@stride/ingest';

const dir = resolve(import.meta.dirname, '../../tests/fixtures/recorded');
const read = (file: string) => JSON.parse(readFileSync(resolve(dir, file), 'utf8'));
const ANTS = 'panjf2000/ants';
const OPENBIC = 'facebook/OpenBIC';
const pulls: unknown[] = read('github_pulls.json')[ANTS];
const commits: unknown[] = Object.values(
  read('github_pull_commits.json')[ANTS] as Record<string, unknown[]>,
).flat();
const reviews: unknown[] = Object.values(
  read('github_pull_reviews.json')[ANTS] as Record<string, unknown[]>,
).flat();
const runs = (read('github_runs.json')[ANTS] as { status: string }[]).filter(
  (r) => r.status === r.status.toLowerCase(),
);
const issues: unknown[] = read('github_issues.json')[ANTS];
const deployments: { id: number }[] = read('github_deployments.json')[OPENBIC];
const statuses: Record<string, unknown[]> = read('github_deployment_statuses.json')[OPENBIC];

const TARGET = 20_000;
const replicate = <T>(items: readonly T[]) =>
  Array.from({ length: Math.ceil(TARGET / items.length) }, () => items)
    .flat()
    .slice(0, TARGET);

function rate(items: readonly unknown[], fn: (item: unknown) => unknown): number {
  for (const item of items.slice(0, 500)) fn(item); // warm-up
  const t0 = performance.now();
  for (const item of items) fn(item);
  return items.length / ((performance.now() - t0) / 1000);
}

const cases: [string, unknown[], (item: unknown) => unknown][] = [
  ['pull request', replicate(pulls), (p) => transformPullRequest(p, { repositoryId: '1' })],
  ['commit', replicate(commits), (c) => transformPullRequestCommit(c, { pullRequestId: '1' })],
  ['review', replicate(reviews), (r) => transformReview(r, { pullRequestId: '1' })],
  [
    'workflow run',
    replicate(runs),
    (r) => transformWorkflowRun(r, { repositoryId: '1', defaultBranch: 'master', deploys: () => true }),
  ],
  [
    'issue → incident',
    replicate(issues),
    (i) => transformIssueToIncident(i, { repositoryId: '1', repositoryFullName: ANTS, incidentLabel: 'bug' }),
  ],
  [
    'deployment + statuses',
    replicate(deployments),
    (d) =>
      transformDeployment(
        d,
        (statuses[String((d as { id: number }).id)] ?? []).map(transformDeploymentStatus),
        {
          repositoryId: '1',
          environmentPattern: '^github-pages$',
        },
      ),
  ],
];

console.log(`transform               payloads/s   JSON.parse/s   transform / parse`);
for (const [name, items, fn] of cases) {
  const texts = items.map((item) => JSON.stringify(item));
  const parseRate = rate(texts, (t) => JSON.parse(t as string));
  const transformRate = rate(items, fn);
  console.log(
    `${name.padEnd(22)} ${Math.round(transformRate).toLocaleString('en').padStart(11)}   ` +
      `${Math.round(parseRate).toLocaleString('en').padStart(12)}   ${(transformRate / parseRate).toFixed(2).padStart(8)}`,
  );
}
