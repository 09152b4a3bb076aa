import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StrideError } from '../errors.ts';
import { loadStrideConfig, parseStrideConfig } from './stride-config.ts';

async function writeConfig(text: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'stride-config-'));
  const path = join(dir, 'stride.config.yaml');
  await writeFile(path, text);
  return path;
}

function errorOf(fn: () => unknown): StrideError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StrideError) return error;
    throw error;
  }
  throw new Error('expected a StrideError');
}

describe('stride config', () => {
  it('fills defaults for an empty file', () => {
    const config = parseStrideConfig({});
    expect(config.github.deployments).toEqual({
      source: 'github_deployments',
      environment: '^(prod|production)$',
      workflows: [],
      workflowEvents: ['push', 'workflow_dispatch'],
    });
    expect(config.incidents.attributionWindowDays).toBe(7);
    expect(config.github.incidentLabel).toBe('incident');
    expect(config.benchmark).toBe(2023);
    expect(config.teams).toEqual([]);
  });

  it('loads the shipped example', async () => {
    const config = await loadStrideConfig(
      new URL('../../../../stride.config.example.yaml', import.meta.url).pathname,
    );
    expect(config.teams.length).toBeGreaterThan(0);
    expect(config.jira?.bugTypes).toContain('10004');
  });

  it.each([
    [{ teams: [{ slug: 'a', name: 'A', timezone: 'Mars/Olympus' }] }, 'teams[0].timezone', /IANA timezone/],
    [{ github: { repositories: ['not-a-repo'] } }, 'github.repositories[0]', /owner\/name/],
    [
      { github: { deployments: { environment: '(' } } },
      'github.deployments.environment',
      /regular expression/,
    ],
    [
      { github: { repositoryRules: { 'acme/app': { source: 'tags', tagPattern: '[v' } } } },
      'github.repositoryRules.acme/app.tagPattern',
      /regular expression/,
    ],
    [
      { teams: [{ slug: 'a', name: 'A', members: [{ name: 'x' }] }] },
      'teams[0].members[0]',
      /github login or a jira/,
    ],
    [
      {
        teams: [
          { slug: 'a', name: 'A' },
          { slug: 'a', name: 'B' },
        ],
      },
      'teams[1].slug',
      /duplicate team slug/,
    ],
    [
      { teams: [{ slug: 'a', name: 'A', members: [{ github: 'x', from: '2025-02-30' }] }] },
      'teams[0].members[0].from',
      /must be a date YYYY-MM-DD/,
    ],
    [
      { teams: [{ slug: 'a', name: 'A', members: [{ github: 'x', to: '2025-1-31' }] }] },
      'teams[0].members[0].to',
      /must be a date YYYY-MM-DD/,
    ],
    [{ incidents: { attributionWindowDays: -1 } }, 'incidents.attributionWindowDays', /./],
    [{ benchmark: 2022 }, 'benchmark', /./],
    [{ teamz: [] }, '', /unknown key\(s\) 'teamz'/],
  ])('rejects %j naming the key', (input, key, reason) => {
    const error = errorOf(() => parseStrideConfig(input, 'test.yaml'));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('test.yaml is invalid');
    if (key) expect(error.message).toContain(`${key}:`);
    expect(error.message).toMatch(reason);
  });

  it('names the file and line of broken YAML', async () => {
    const path = await writeConfig('teams:\n  - slug: a\n   name: [broken\n');
    await expect(loadStrideConfig(path)).rejects.toThrow(
      new RegExp(`${path} is not valid YAML at line \\d+`),
    );
  });

  it('names the file and key of an invalid value', async () => {
    const path = await writeConfig('sync:\n  intervalMinutes: soon\n');
    await expect(loadStrideConfig(path)).rejects.toThrow(`${path} is invalid: sync.intervalMinutes:`);
  });

  it('takes retro dates and offset date-times only (a date-time without offset would depend on the server timezone)', () => {
    const team = (retros: string[]) => ({
      teams: [{ slug: 'payments', name: 'Payments', members: [], repositories: [], retro: { retros } }],
    });
    expect(
      parseStrideConfig(team(['2026-12-03', '2026-12-17T15:00:00+01:00'])).teams[0]?.retro?.retros,
    ).toEqual(['2026-12-03', '2026-12-17T15:00:00+01:00']);
    for (const bad of ['2026-02-30', '2026-12-03T15:00', 'next thursday']) {
      expect(() => parseStrideConfig(team([bad]))).toThrow(/teams\[0\]\.retro\.retros\[0\]: must be a date/);
    }
  });

  it('fails clearly on a missing file', async () => {
    await expect(loadStrideConfig('/nonexistent/stride.yaml')).rejects.toThrow(
      /cannot read config file \/nonexistent\/stride.yaml/,
    );
  });

  it('accepts releases and tags rules with an optional tagPattern', () => {
    const config = parseStrideConfig({
      github: {
        repositoryRules: {
          'acme/app': { source: 'tags', tagPattern: '^v\\d+' },
          'acme/lib': { source: 'releases' },
        },
      },
    });
    expect(config.github.repositoryRules['acme/app']).toMatchObject({ source: 'tags', tagPattern: '^v\\d+' });
    expect(config.github.repositoryRules['acme/lib']?.tagPattern).toBeUndefined();
    // An override holds only what it sets: the rest comes from github.deployments.
    expect(config.github.repositoryRules['acme/lib']).toEqual({ source: 'releases' });
  });
});

describe('stride config: ai', () => {
  it('defaults to the built-in detection lists and a 25 % adoption share', () => {
    const { ai } = parseStrideConfig({});
    expect(ai).toEqual({
      defaults: true,
      agentLogins: [],
      markers: [],
      labels: [],
      adoptionShare: 0.25,
      adoptionDates: {},
      minSamples: 10,
      copilot: { enabled: true, teams: {} },
    });
  });

  it('takes extra markers, labels, agent logins and adoption dates', () => {
    const { ai } = parseStrideConfig({
      ai: {
        defaults: false,
        markers: ['^Assisted-by: acme-llm'],
        labels: ['ai-assisted'],
        agentLogins: ['acme-agent[bot]'],
        adoptionDates: { payments: '2026-03-01' },
      },
    });
    expect(ai.defaults).toBe(false);
    expect(ai.markers).toEqual(['^Assisted-by: acme-llm']);
    expect(ai.adoptionDates).toEqual({ payments: '2026-03-01' });
  });

  it('refuses a bad marker regex, naming the key', () => {
    const error = errorOf(() => parseStrideConfig({ ai: { markers: ['ok', 'Co-authored-by: (unclosed'] } }));
    expect(error.code).toBe('invalid_config');
    expect(error.message).toContain('ai.markers[1]: must be a valid regular expression');
  });

  it('refuses an adoption share outside (0, 1] and an adoption date that is not a date', () => {
    expect(errorOf(() => parseStrideConfig({ ai: { adoptionShare: 0 } })).message).toContain(
      'ai.adoptionShare',
    );
    expect(
      errorOf(() => parseStrideConfig({ ai: { adoptionDates: { payments: 'March' } } })).message,
    ).toContain('ai.adoptionDates.payments: must be a date YYYY-MM-DD');
  });
});
