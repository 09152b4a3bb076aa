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
});
