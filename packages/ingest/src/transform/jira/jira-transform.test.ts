import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseStrideConfig } from '@stride/shared/config';
import { describe, expect, it } from 'vitest';
import { createJiraClassifier, type JiraIssueTypeInfo } from './classify-jira-issue.ts';
import { JiraPayloadError, mapJiraIssue } from './map-jira-issue.ts';

const fixtures = fileURLToPath(new URL('../../../../../tests/fixtures/recorded/', import.meta.url));
const issueTypes: JiraIssueTypeInfo[] = JSON.parse(readFileSync(`${fixtures}jira_issue_types.json`, 'utf8'));
const issues: { key: string; fields: { issuetype: { id: string; name: string }; summary: string } }[] =
  JSON.parse(readFileSync(`${fixtures}jira_issues.json`, 'utf8'));

describe('Jira issue classification', () => {
  it('matches configured English type names against localised issue types (缺陷 = Bug)', () => {
    const defaults = parseStrideConfig({ jira: {} }).jira!;
    const classify = createJiraClassifier(defaults, issueTypes);
    const bugIds = new Set(issueTypes.filter((t) => t.untranslatedName === 'Bug').map((t) => t.id));
    for (const issue of issues) {
      const { id, name } = issue.fields.issuetype;
      expect(classify({ typeId: id, typeName: name, labels: [] })).toBe(bugIds.has(id) ? 'bug' : 'planned');
    }
    expect(issues.some((i) => bugIds.has(i.fields.issuetype.id) && i.fields.issuetype.name === '缺陷')).toBe(
      true,
    );
  });

  it('matches by id, by name case-insensitively, and makes labelled issues incidents', () => {
    const classify = createJiraClassifier(
      { incidentTypes: ['10105'], incidentLabels: ['Prod-Down'], bugTypes: ['STORY'] },
      issueTypes,
    );
    expect(classify({ typeId: '10105', typeName: 'x', labels: [] })).toBe('incident');
    expect(classify({ typeId: '10001', typeName: '故事', labels: [] })).toBe('bug');
    expect(classify({ typeId: '10031', typeName: '任务', labels: ['prod-down'] })).toBe('incident');
    expect(classify({ typeId: '10031', typeName: '任务', labels: [] })).toBe('planned');
  });
});

describe('mapJiraIssue', () => {
  const classify = () => 'planned' as const;
  it('names the invalid field of a malformed issue', () => {
    expect(() =>
      mapJiraIssue({ id: '1', key: 'X-1', fields: {} }, { classify, siteUrl: 'https://x' }),
    ).toThrow(JiraPayloadError);
    expect(() =>
      mapJiraIssue({ id: '1', key: 'X-1', fields: {} }, { classify, siteUrl: 'https://x' }),
    ).toThrow(/fields\.created/);
  });

  it('drops U+0000, which PostgreSQL text cannot store, from the summary', () => {
    const raw = JSON.parse(readFileSync(`${fixtures}jira_issues.json`, 'utf8')).find(
      (i: { fields: { summary: string } }) => i.fields.summary.includes('\u0000'),
    );
    const mapped = mapJiraIssue(raw, { classify, siteUrl: 'https://x.atlassian.net' });
    expect(mapped.issue.summary).toBe(raw.fields.summary.replaceAll('\u0000', ''));
    expect(mapped.issue.url).toBe(`https://x.atlassian.net/browse/${raw.key}`);
  });
});

describe('incident deployment reference', () => {
  const base = {
    id: '1',
    key: 'OPS-1',
    fields: {
      summary: 'Checkout down',
      created: '2026-03-01T10:00:00.000+0100',
      updated: '2026-03-01T11:00:00.000+0100',
      project: { key: 'OPS' },
      issuetype: { id: '1', name: 'Incident' },
      labels: [] as string[],
      description: {
        type: 'doc',
        version: 1,
        content: [
          { type: 'paragraph', content: [{ type: 'text', text: 'Errors after the release.' }] },
          { type: 'paragraph', content: [{ type: 'text', text: 'Deployment: 3f8aa35a' }] },
        ],
      },
    },
  };
  const classify = () => 'incident' as const;
  it('reads a Deployment: line of the ADF description, or a deployment: label first', () => {
    expect(mapJiraIssue(base, { classify, siteUrl: 'https://x' }).incident?.deployment_ref).toBe('3f8aa35a');
    const labelled = { ...base, fields: { ...base.fields, labels: ['deployment:checkout-812'] } };
    expect(mapJiraIssue(labelled, { classify, siteUrl: 'https://x' }).incident?.deployment_ref).toBe(
      'checkout-812',
    );
    const none = { ...base, fields: { ...base.fields, description: null } };
    expect(mapJiraIssue(none, { classify, siteUrl: 'https://x' }).incident?.deployment_ref).toBeNull();
  });
});
