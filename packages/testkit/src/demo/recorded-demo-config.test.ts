import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildRecordedDemoConfig, RECORDED_BACKFILL_SINCE } from './recorded-demo-config.ts';

const dir = resolve(import.meta.dirname, '../../../../tests/fixtures/recorded');
const fixture = (file: string) => JSON.parse(readFileSync(resolve(dir, file), 'utf8'));

describe('buildRecordedDemoConfig', () => {
  it('makes the authors of the recorded ants PRs the ants team and maps every recorded source', async () => {
    const config = await buildRecordedDemoConfig(dir);
    const authors = new Set<string>(
      fixture('github_pulls.json')['panjf2000/ants'].map((p: { user: { login: string } }) => p.user.login),
    );
    const ants = config.teams.find((t) => t.slug === 'ants')!;
    expect(new Set(ants.members.map((m) => m.github))).toEqual(authors);
    expect(ants.repositories).toEqual(['panjf2000/ants']);
    expect(config.teams.find((t) => t.repositories.includes('facebook/OpenBIC'))).toBeDefined();
    expect(config.teams.flatMap((t) => t.jiraProjects).sort()).toEqual(['EE', 'K5']);

    // Every workflow configured for ants exists in the recorded runs; OpenBIC's environment matches.
    const rule = config.github.repositoryRules['panjf2000/ants']!;
    expect(rule.source).toBe('workflow_runs');
    const paths = new Set(
      fixture('github_runs.json')['panjf2000/ants'].map((r: { path: string }) => r.path.split('/').pop()),
    );
    for (const w of rule.workflows ?? []) expect(paths.has(w)).toBe(true);
    const envs = fixture('github_deployments.json')['facebook/OpenBIC'].map(
      (d: { environment: string }) => d.environment,
    );
    const openbic = config.github.repositoryRules['facebook/OpenBIC']!;
    expect(envs.every((e: string) => new RegExp(openbic.environment!, 'i').test(e))).toBe(true);

    // The bug types name the recorded bug type by id and by its Chinese and English names.
    const bugType = fixture('jira_issue_types.json').find((t: { name: string }) => t.name === '缺陷');
    expect(config.jira?.bugTypes).toEqual(expect.arrayContaining([bugType.id, '缺陷', 'Bug']));
    // The backfill horizon reaches the first recorded PR.
    const first = Math.min(
      ...fixture('github_pulls.json')['panjf2000/ants'].map((p: { created_at: string }) =>
        Date.parse(p.created_at),
      ),
    );
    expect(RECORDED_BACKFILL_SINCE.getTime()).toBeLessThan(first);
    expect(Date.now() - config.sync.backfillDays * 86_400_000).toBeLessThan(first);
  });
});
