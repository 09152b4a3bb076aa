import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type DemoOrg, generateDemoOrg } from './size-presets.ts';

const END = new Date('2026-11-23T10:00:00Z');
const DAY = 86_400_000;
const ms = (d: unknown) => (d instanceof Date ? d.getTime() : new Date(String(d)).getTime());
const digest = (org: DemoOrg) => createHash('sha256').update(JSON.stringify(org)).digest('hex');

function quantile(values: number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo]! + (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!) * (pos - lo);
}

describe('generateDemoOrg', () => {
  const org = generateDemoOrg({ seed: 42, end: END });

  it('is deterministic for a seed and end date, and differs for another seed', () => {
    const options = { seed: 42, end: END, years: 0.5 };
    const once = digest(generateDemoOrg(options));
    expect(digest(generateDemoOrg(options))).toBe(once);
    expect(digest(generateDemoOrg({ ...options, seed: 43 }))).not.toBe(once);
  });

  it('has 8 teams owning 40 repositories, each repository owned by exactly one team', () => {
    expect(org.teams).toHaveLength(8);
    expect(org.repositories).toHaveLength(40);
    const owned = org.teams.flatMap((t) => t.repositories);
    expect(new Set(owned).size).toBe(owned.length);
    expect(new Set(owned)).toEqual(new Set(org.repositories.map((r) => r.full_name)));
    expect(new Set(org.teams.flatMap((t) => t.jiraProjects)).size).toBe(8);
  });

  it('covers two years ending at the end date, with every entity present', () => {
    const created = org.pullRequests.map((p) => ms(p.created_at));
    expect(Math.max(...created)).toBeLessThanOrEqual(END.getTime());
    // The history starts on the first of its days; it may be a weekend, when little is opened.
    expect(Math.min(...created)).toBeLessThan(END.getTime() - 727 * DAY);
    expect(Math.min(...created)).toBeGreaterThanOrEqual(END.getTime() - 731 * DAY);
    expect(org.pullRequests.length).toBeGreaterThan(5000);
    expect(org.reviews.length).toBeGreaterThan(org.pullRequests.length / 2);
    expect(org.commits.length).toBeGreaterThan(org.pullRequests.length);
    expect(org.deployments.length).toBeGreaterThan(2000);
    expect(org.incidents.length).toBeGreaterThan(50);
    expect(org.jiraIssues.length).toBeGreaterThan(1000);
    for (const d of org.deployments)
      if (d.deployed_at) expect(ms(d.deployed_at)).toBeLessThanOrEqual(END.getTime());
  });

  it('keeps each PR timeline ordered and reviews by someone other than the author', () => {
    const authors = new Map(org.pullRequests.map((p) => [p.external_id, p.author_login]));
    for (const p of org.pullRequests) {
      expect(ms(p.first_commit_at)).toBeLessThanOrEqual(ms(p.created_at));
      if (p.first_review_at) expect(ms(p.first_review_at)).toBeGreaterThanOrEqual(ms(p.created_at));
      if (p.merged_at) {
        expect(p.state).toBe('merged');
        expect(ms(p.merged_at)).toBeGreaterThanOrEqual(ms(p.created_at));
        expect(ms(p.merged_at)).toBeLessThanOrEqual(END.getTime());
      }
    }
    for (const r of org.reviews) expect(r.reviewer_login).not.toBe(authors.get(r.pullRequest));
  });

  it('has realistic distributions: weekday activity, working hours, right-skewed log-normal durations', () => {
    const human = org.pullRequests.filter((p) => !p.author_is_bot);
    // Weekdays and hours in each author's team timezone.
    const zone = new Map(org.teams.flatMap((t) => t.members.map((m) => [m.github, t.timezone] as const)));
    const local = (p: (typeof human)[number], part: 'weekday' | 'hour') =>
      new Intl.DateTimeFormat('en-US', {
        [part]: part === 'hour' ? 'numeric' : 'short',
        hourCycle: 'h23',
        timeZone: zone.get(p.author_login!),
      }).format(new Date(ms(p.created_at)));
    const sample = human.filter((_, i) => i % 5 === 0);
    const weekend = sample.filter((p) => ['Sat', 'Sun'].includes(local(p, 'weekday'))).length;
    expect(weekend / sample.length).toBeLessThan(0.05);
    const office = sample.filter((p) => {
      const h = Number(local(p, 'hour'));
      return h >= 7 && h < 20;
    }).length;
    expect(office / sample.length).toBeGreaterThan(0.8);
    const pickups = human
      .filter((p) => p.first_review_at)
      .map((p) => (ms(p.first_review_at) - ms(p.created_at)) / 3_600_000);
    const p50 = quantile(pickups, 0.5);
    const p90 = quantile(pickups, 0.9);
    const mean = pickups.reduce((a, b) => a + b, 0) / pickups.length;
    expect(p50).toBeGreaterThan(0.5);
    expect(p50).toBeLessThan(48);
    expect(mean).toBeGreaterThan(p50); // right skew
    expect(p90 / p50).toBeGreaterThan(2);
    // log(pickup) is roughly symmetric: its mean is near its median
    const logs = pickups.map(Math.log);
    const logMean = logs.reduce((a, b) => a + b, 0) / logs.length;
    expect(Math.abs(logMean - quantile(logs, 0.5))).toBeLessThan(0.5);
    const sizes = human.map((p) => Number(p.additions) + Number(p.deletions));
    const over400 = sizes.filter((s) => s > 400).length / sizes.length;
    expect(over400).toBeGreaterThan(0.02);
    expect(over400).toBeLessThan(0.3);
    // Teams differ: deployments per repository range over an order of magnitude.
    const perRepo = new Map<string, number>();
    for (const d of org.deployments) perRepo.set(d.repository, (perRepo.get(d.repository) ?? 0) + 1);
    const counts = [...perRepo.values()];
    expect(Math.max(...counts) / Math.max(1, Math.min(...counts))).toBeGreaterThan(10);
  });

  it('keeps out-of-hours work plausible for every team: commits in working hours of its own timezone', () => {
    // docs/metrics.md: a commit by a team member on a Saturday or Sunday, or outside
    // [08:00, 19:00) in the team's configured timezone, is out of hours. Real teams sit in
    // single digits to the low teens; a share of a third or more is not believable.
    const day = (d: unknown) => new Date(ms(d)).toISOString().slice(0, 10);
    const teamOf = (login: string, at: unknown) =>
      org.teams.find((t) =>
        t.members.some(
          (m) => m.github === login && day(at) >= (m.from ?? '0000') && day(at) <= (m.to ?? '9999'),
        ),
      );
    const formats = new Map(
      org.teams.map((t) => [
        t.slug,
        new Intl.DateTimeFormat('en-GB', {
          timeZone: t.timezone,
          weekday: 'short',
          hour: 'numeric',
          hourCycle: 'h23',
        }),
      ]),
    );
    const counts = new Map(org.teams.map((t) => [t.slug, { all: 0, out: 0 }]));
    for (const c of org.commits) {
      const team = c.author_login ? teamOf(c.author_login, c.authored_at) : undefined;
      if (!team) continue;
      const parts = Object.fromEntries(
        formats
          .get(team.slug)!
          .formatToParts(new Date(ms(c.authored_at)))
          .map((x) => [x.type, x.value]),
      );
      const hour = Number(parts.hour);
      const count = counts.get(team.slug)!;
      count.all += 1;
      if (parts.weekday === 'Sat' || parts.weekday === 'Sun' || hour < 8 || hour >= 19) count.out += 1;
    }
    const shares = Object.fromEntries(
      [...counts].map(([slug, c]) => [slug, Math.round((c.out / c.all) * 1000) / 1000]),
    );
    for (const [slug, c] of counts) {
      expect(c.all, slug).toBeGreaterThan(500);
      expect(c.out / c.all, `${slug}: ${JSON.stringify(shares)}`).toBeGreaterThan(0.01);
      expect(c.out / c.all, `${slug}: ${JSON.stringify(shares)}`).toBeLessThan(0.15);
    }
  });

  it('changes teams over time: dated memberships, a person moving team, a repository moving team', () => {
    const members = org.teams.flatMap((t) => t.members.map((m) => ({ ...m, team: t.slug })));
    expect(members.some((m) => m.from)).toBe(true);
    expect(members.some((m) => m.to)).toBe(true);
    const logins = members.map((m) => m.github);
    const movers = logins.filter((l, i) => logins.indexOf(l) !== i);
    expect(movers.length).toBeGreaterThanOrEqual(1);

    expect(org.changes.some((c) => c.includes('moves from Payments to Data'))).toBe(true);
    const moved = org.teams
      .find((t) => t.slug === 'data')!
      .repositories.find((r) => r.startsWith('stride-demo/payments-'))!;
    expect(moved).toBeDefined();
    const payments = new Set(org.teams.find((t) => t.slug === 'payments')!.members.map((m) => m.github));
    const data = new Set(org.teams.find((t) => t.slug === 'data')!.members.map((m) => m.github));
    const humanPrs = org.pullRequests.filter((p) => p.repository === moved && !p.author_is_bot);
    const firstDataPr = humanPrs.findIndex((p) => data.has(p.author_login!));
    expect(firstDataPr).toBeGreaterThan(0);
    expect(humanPrs.slice(0, firstDataPr).every((p) => payments.has(p.author_login!))).toBe(true);
    expect(humanPrs.slice(firstDataPr).every((p) => data.has(p.author_login!))).toBe(true);
  });

  it('gives every team dated joins spread over the history, a recent one, and some leaves', () => {
    const start = END.getTime() - 730 * DAY;
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
    const joinDays: number[] = [];
    for (const team of org.teams) {
      const joins = team.members.filter((m) => m.from).map((m) => day(m.from!));
      const leaves = team.members.filter((m) => m.to).map((m) => day(m.to!) + DAY);
      expect(joins.length, team.slug).toBeGreaterThanOrEqual(1);
      expect(joins.length + leaves.length, team.slug).toBeGreaterThanOrEqual(2);
      for (const at of [...joins, ...leaves]) {
        expect(at, team.slug).toBeGreaterThan(start);
        expect(at, team.slug).toBeLessThanOrEqual(END.getTime());
      }
      // A change in the last 90 days, so the default period's charts show one.
      const recent = [...joins, ...leaves].filter((at) => at > END.getTime() - 90 * DAY);
      expect(recent.length, team.slug).toBeGreaterThanOrEqual(1);
      joinDays.push(...joins);
    }
    // Spread: the joins fall in at least four different quarters of the two years.
    expect(new Set(joinDays.map((at) => Math.floor((at - start) / (91 * DAY)))).size).toBeGreaterThanOrEqual(
      4,
    );
    const leavers = org.teams.filter((t) =>
      t.members.some((m) => m.to && day(m.to) > END.getTime() - 90 * DAY),
    );
    expect(leavers.length).toBeGreaterThanOrEqual(1);
    expect(leavers.length).toBeLessThan(org.teams.length);
  });

  it('scales with the options', () => {
    const small = generateDemoOrg({ seed: 1, end: END, teams: 3, repositories: 6, years: 0.25 });
    expect(small.teams).toHaveLength(3);
    expect(small.repositories).toHaveLength(6);
    expect(small.pullRequests.length).toBeLessThan(org.pullRequests.length / 4);
    const big = generateDemoOrg({ seed: 1, end: END, teams: 12, years: 0.25 });
    expect(new Set(big.teams.map((t) => t.slug)).size).toBe(12);
    expect(big.repositories).toHaveLength(60);
  });
});
