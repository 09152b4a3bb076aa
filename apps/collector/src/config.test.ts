import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadCollectorConfig } from './config.ts';

describe('collector environment configuration', () => {
  it("treats empty variables as unset (docker compose passes an unset NAME:- as '')", () => {
    const config = loadCollectorConfig({
      GITHUB_TOKEN: '',
      JIRA_HOST: '',
      JIRA_EMAIL: '',
      JIRA_API_TOKEN: '',
    });
    expect(config.GITHUB_TOKEN).toBeUndefined();
    expect(config.JIRA_HOST).toBeUndefined();
  });

  it('names the variable of a bad value', () => {
    expect(() => loadCollectorConfig({ GITHUB_API_URL: 'not a url' })).toThrow(/GITHUB_API_URL/);
    expect(() => loadCollectorConfig({ JIRA_HOST: 'https://acme.atlassian.net' })).toThrow(/JIRA_API_TOKEN/);
  });

  it('several tokens, a GitHub App and parallelism: validated at boot, naming the variable, never echoing a secret', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const config = loadCollectorConfig({
      GITHUB_TOKENS: 'ghp_a, ghp_b',
      GITHUB_APP_ID: '12',
      GITHUB_APP_PRIVATE_KEY: pem.replaceAll('\n', '\\n'),
      GITHUB_APP_INSTALLATION_IDS: '3,4',
    });
    expect(config.GITHUB_TOKENS).toEqual(['ghp_a', 'ghp_b']);
    expect(config.GITHUB_APP_PRIVATE_KEY).toBe(pem);
    expect(config.GITHUB_APP_INSTALLATION_IDS).toEqual([3, 4]);
    // Safe defaults: bounded parallelism, budgets shared between processes.
    expect(config.GITHUB_PARALLEL_REPOSITORIES).toBe(2);
    expect(config.GITHUB_SHARED_RATE_BUDGET).toBe('on');

    expect(() => loadCollectorConfig({ GITHUB_TOKENS: 'ghp_a,,ghp_b' })).toThrow(/GITHUB_TOKENS/);
    expect(() => loadCollectorConfig({ GITHUB_APP_ID: '12' })).toThrow(/GITHUB_APP_PRIVATE_KEY/);
    expect(() => loadCollectorConfig({ GITHUB_APP_PRIVATE_KEY: pem })).toThrow(/GITHUB_APP_ID/);
    expect(() => loadCollectorConfig({ GITHUB_APP_ID: 'twelve', GITHUB_APP_PRIVATE_KEY: pem })).toThrow(
      /GITHUB_APP_ID/,
    );
    expect(() => loadCollectorConfig({ GITHUB_APP_INSTALLATION_IDS: '3' })).toThrow(
      /GITHUB_APP_INSTALLATION_IDS/,
    );
    expect(() =>
      loadCollectorConfig({
        GITHUB_APP_ID: '12',
        GITHUB_APP_PRIVATE_KEY: pem,
        GITHUB_APP_INSTALLATION_IDS: '3,x',
      }),
    ).toThrow(/GITHUB_APP_INSTALLATION_IDS/);
    expect(() => loadCollectorConfig({ GITHUB_PARALLEL_REPOSITORIES: '0' })).toThrow(
      /GITHUB_PARALLEL_REPOSITORIES/,
    );
    expect(() => loadCollectorConfig({ GITHUB_PARALLEL_REPOSITORIES: '64' })).toThrow(
      /GITHUB_PARALLEL_REPOSITORIES/,
    );
    expect(() => loadCollectorConfig({ GITHUB_SHARED_RATE_BUDGET: 'yes' })).toThrow(
      /GITHUB_SHARED_RATE_BUDGET/,
    );
    const broken = 'not-a-key-SECRET-MATERIAL';
    let message = '';
    try {
      loadCollectorConfig({ GITHUB_APP_ID: '12', GITHUB_APP_PRIVATE_KEY: broken });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/GITHUB_APP_PRIVATE_KEY: must be the GitHub App private key in PEM form/);
    expect(message).not.toContain('SECRET-MATERIAL');
  });
});
