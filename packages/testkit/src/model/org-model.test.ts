import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoModelOptions, scaleModelOptions } from '../presets/size-presets.ts';
import { createOrgModel } from './org-model.ts';
import { HIGH } from './team-profiles.ts';

// A profile at the mean pace, so `prsPerTeamWeek` is the team's volume as given.
const HIGH_PACE = { ...HIGH, prsPerMemberWeek: 2.15 };

const END = new Date('2026-11-23T10:00:00Z');
const digest = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

describe('createOrgModel', () => {
  it('streams one chunk per repository, in order, each naming only its repository; a second pass is the same', () => {
    const model = createOrgModel(
      demoModelOptions({ seed: 5, end: END, teams: 3, repositories: 7, years: 0.2 }),
    );
    const first = [...model.activity()];
    expect(first.map((a) => a.repository.fullName)).toEqual(model.repositories.map((r) => r.fullName));
    for (const a of first) {
      const name = a.repository.fullName;
      expect(a.pullRequests.every((p) => p.repository === name)).toBe(true);
      expect(a.deployments.every((d) => d.repository === name)).toBe(true);
      expect(a.incidents.every((i) => i.repository === name || i.repository === null)).toBe(true);
    }
    expect(digest([...model.activity()])).toBe(digest(first));
    const keys = first.flatMap((a) => a.jiraIssues.map((j) => j.key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('takes a volume parameter with no ceiling: one team opens ~60 PRs a week for two years', () => {
    // The generator it replaced could not pass ~1,830 PRs per team over two years.
    const model = createOrgModel({
      ...scaleModelOptions({ seed: 3, end: END, teams: 1, repositories: 4, prsPerTeamWeek: 60 }),
      profiles: () => ({ from: HIGH_PACE, to: HIGH_PACE }),
    });
    let prs = 0;
    for (const a of model.activity()) prs += a.pullRequests.filter((p) => !p.authorIsBot).length;
    expect(prs).toBeGreaterThan(5000);
    expect(prs).toBeLessThan(8000);
  });

  it('deploys the last change merged before each deployment started, one PR number per creation order', () => {
    const model = createOrgModel(
      demoModelOptions({ seed: 9, end: END, teams: 2, repositories: 2, years: 0.3 }),
    );
    for (const a of model.activity()) {
      const merged = a.pullRequests.filter((p) => p.mergedAt).sort((x, y) => +x.mergedAt! - +y.mergedAt!);
      expect(a.deployments.length).toBeGreaterThan(0);
      for (const d of a.deployments) {
        const last = merged.filter((p) => +p.mergedAt! <= +d.createdAt).at(-1);
        expect(d.sha).toBe(last?.mergeCommitSha);
      }
      const numbers = a.pullRequests.map((p) => p.number);
      expect(numbers).toEqual(numbers.map((_, i) => i + 1));
      for (let i = 1; i < a.pullRequests.length; i++)
        expect(+a.pullRequests[i]!.createdAt).toBeGreaterThanOrEqual(+a.pullRequests[i - 1]!.createdAt);
    }
  });

  it('open PRs ask teammates for review (until they review), and their head commits have CI states', () => {
    const model = createOrgModel(demoModelOptions({ seed: 11, end: END, teams: 4, years: 0.5 }));
    const prs = [...model.activity()].flatMap((a) => a.pullRequests);
    const open = prs.filter((p) => p.state === 'open' && !p.authorIsBot);
    const ready = open.filter((p) => !p.draft);
    expect(ready.length).toBeGreaterThan(10);
    // Most open PRs wait on someone named; nobody is both asked and has reviewed; drafts ask nobody.
    const asking = ready.filter((p) => p.requestedReviewers.length > 0);
    expect(asking.length / ready.length).toBeGreaterThan(0.4);
    for (const p of prs) {
      const reviewed = new Set(p.reviews.filter((r) => r.kind === 'review').map((r) => r.reviewer));
      for (const login of p.requestedReviewers) {
        expect(reviewed.has(login)).toBe(false);
        expect(login).not.toBe(p.author);
      }
      if (p.draft) expect(p.requestedReviewers).toEqual([]);
      if (p.state === 'merged') expect(p.ciState).toBe('success');
    }
    // CI of open heads: mostly passing, some failing, recent pushes possibly still running.
    const states = new Map<string | null, number>();
    for (const p of open) states.set(p.ciState, (states.get(p.ciState) ?? 0) + 1);
    expect(states.get('success') ?? 0).toBeGreaterThan(open.length / 2);
    expect(states.get('failure') ?? 0).toBeGreaterThan(0);
    // Some PRs were opened as drafts and marked ready (pickup starts then).
    expect(prs.some((p) => p.readyForReviewAt !== null)).toBe(true);
  });
});
