import type { AgreementPrRow } from '@stride/db';
import {
  type AgreementRule,
  type AgreementViolation,
  httpUrlOrNull,
  type TeamAgreements,
} from '@stride/shared';
import type { AgreementsConfig } from '@stride/shared/config';
import { businessHoursBetween } from './business-hours.ts';

const DAY_MS = 86_400_000;

/** What an open PR waits on, from its latest review by someone else: none yet, changes requested, approved. */
export function waitingOn(pr: Pick<AgreementPrRow, 'state' | 'firstReviewAt' | 'lastReviewState'>) {
  if (pr.state !== 'open') return null;
  if (pr.lastReviewState === 'CHANGES_REQUESTED') return 'author' as const;
  if (pr.lastReviewState === 'APPROVED') return 'merge' as const;
  return 'review' as const;
}

const LABELS: Record<AgreementRule, { label: string; unit: TeamAgreements['rules'][number]['unit'] }> = {
  pickup: { label: 'First review within business hours', unit: 'business_hours' },
  open_days: { label: 'PR open at most', unit: 'days' },
  wip: { label: 'Open PRs per person at most', unit: 'open_prs' },
  pr_size: { label: 'PR size at most', unit: 'lines' },
};

/**
 * Checks a team's working agreements on its PRs of a period (docs/metrics.md, "Working agreements"):
 * - `pickup`: ready for review → first review by someone else, in business hours of the team's
 *   timezone (weekends and holidays excluded); a PR still waiting at `to` counts its wait so far;
 *   a PR merged without any review is not a pickup sample;
 * - `open_days`: created → merged (or → `to` when still open), in days;
 * - `wip`: open PRs per author at `to`; every open PR of an author over the limit is listed, the
 *   author never named (Stride does not rank people);
 * - `pr_size`: additions + deletions of merged PRs.
 * Rules the team has not agreed on are returned with `limit: null` and nothing checked.
 * @param to the period's end (exclusive), the instant open PRs are judged at
 */
export function checkAgreements(input: {
  team: string;
  timezone: string;
  from: Date;
  to: Date;
  agreements: AgreementsConfig;
  holidays: ReadonlySet<string>;
  prs: readonly AgreementPrRow[];
}): TeamAgreements {
  const { agreements: a, prs, to } = input;
  const violations: AgreementViolation[] = [];
  const checks = new Map<AgreementRule, { checked: number; broken: number }>();
  const count = (rule: AgreementRule, broken: boolean) => {
    const c = checks.get(rule) ?? { checked: 0, broken: 0 };
    c.checked += 1;
    if (broken) c.broken += 1;
    checks.set(rule, c);
  };
  const violation = (
    rule: AgreementRule,
    pr: AgreementPrRow,
    value: number,
    limit: number,
  ): AgreementViolation => ({
    rule,
    repository: pr.repository,
    number: pr.number,
    title: pr.title,
    url: httpUrlOrNull(pr.url),
    state: pr.state,
    openedAt: pr.openedAt.toISOString(),
    value: Math.round(value * 10) / 10,
    limit,
    ageDays: Math.round((((pr.mergedAt ?? to).getTime() - pr.createdAt.getTime()) / DAY_MS) * 10) / 10,
    waitingOn: waitingOn(pr),
  });

  for (const pr of prs) {
    if (a.pickupBusinessHours !== undefined) {
      const end = pr.firstReviewAt ?? (pr.state === 'open' && !pr.draft ? to : null);
      if (end) {
        const hours = businessHoursBetween(pr.openedAt, end, input.timezone, input.holidays);
        const broken = hours > a.pickupBusinessHours;
        count('pickup', broken);
        if (broken) violations.push(violation('pickup', pr, hours, a.pickupBusinessHours));
      }
    }
    if (a.maxPrOpenDays !== undefined) {
      const days = ((pr.mergedAt ?? to).getTime() - pr.createdAt.getTime()) / DAY_MS;
      const broken = days > a.maxPrOpenDays;
      count('open_days', broken);
      if (broken) violations.push(violation('open_days', pr, days, a.maxPrOpenDays));
    }
    if (a.maxPrSizeLines !== undefined && pr.state === 'merged' && pr.size !== null) {
      const broken = pr.size > a.maxPrSizeLines;
      count('pr_size', broken);
      if (broken) violations.push(violation('pr_size', pr, pr.size, a.maxPrSizeLines));
    }
  }
  if (a.maxWipPerPerson !== undefined) {
    const byAuthor = new Map<string, AgreementPrRow[]>();
    for (const pr of prs.filter((p) => p.state === 'open')) {
      const key = pr.authorLogin.toLowerCase();
      byAuthor.set(key, [...(byAuthor.get(key) ?? []), pr]);
    }
    for (const open of byAuthor.values()) {
      const broken = open.length > a.maxWipPerPerson;
      count('wip', broken);
      if (broken)
        for (const pr of open) violations.push(violation('wip', pr, open.length, a.maxWipPerPerson));
    }
  }
  const limits: Record<AgreementRule, number | undefined> = {
    pickup: a.pickupBusinessHours,
    open_days: a.maxPrOpenDays,
    wip: a.maxWipPerPerson,
    pr_size: a.maxPrSizeLines,
  };
  return {
    team: input.team,
    timezone: input.timezone,
    period: { from: input.from.toISOString(), to: to.toISOString() },
    rules: (Object.keys(LABELS) as AgreementRule[]).map((rule) => ({
      rule,
      ...LABELS[rule],
      limit: limits[rule] ?? null,
      checked: checks.get(rule)?.checked ?? 0,
      broken: checks.get(rule)?.broken ?? 0,
    })),
    violations: violations.sort((x, y) => y.ageDays - x.ageDays || x.rule.localeCompare(y.rule)),
  };
}
