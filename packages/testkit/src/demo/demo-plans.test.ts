import { parseStrideConfig } from '@stride/shared/config';
import { describe, expect, it } from 'vitest';
import { addDemoPlans } from './demo-plans.ts';

describe('the demo plans', () => {
  const end = new Date('2026-12-01T00:00:00Z');
  const teams = [
    {
      slug: 'payments',
      name: 'Payments',
      timezone: 'Europe/Berlin',
      members: [],
      repositories: [],
      jiraProjects: [],
    },
    {
      slug: 'checkout',
      name: 'Checkout',
      timezone: 'Europe/London',
      members: [],
      repositories: [],
      jiraProjects: [],
    },
    {
      slug: 'ants',
      name: 'Ants (recorded)',
      timezone: 'UTC',
      members: [],
      repositories: [],
      jiraProjects: [],
    },
  ];
  it('give generated teams goals, agreements and a retro day, and validate as a config file would', () => {
    const config = parseStrideConfig(addDemoPlans({ teams }, ['payments', 'checkout'], end), 'demo config');
    const payments = config.teams.find((t) => t.slug === 'payments')!;
    expect(payments.goals?.map((g) => g.metric)).toEqual([
      'pickup_time',
      'pr_size',
      'change_failure_rate',
      'change_lead_time',
    ]);
    expect(payments.agreements).toMatchObject({ pickupBusinessHours: 8, maxPrOpenDays: 5 });
    expect(payments.retro?.weekday).toBe('thursday');
    // The recorded demo's teams are left as they are.
    expect(config.teams.find((t) => t.slug === 'ants')!.goals).toBeUndefined();
    expect(config.goals?.map((g) => g.metric)).toEqual(['deployment_days', 'change_failure_rate']);
  });
  it('start every goal on a plausible day in the past, not all on one day', () => {
    const config = parseStrideConfig(addDemoPlans({ teams }, ['payments', 'checkout'], end), 'demo config');
    const goals = [...(config.goals ?? []), ...config.teams.flatMap((t) => t.goals ?? [])];
    expect(goals.length).toBeGreaterThanOrEqual(10);
    for (const g of goals) {
      expect(g.startDate, g.metric).toBeDefined();
      // In the demo's last year, before its end.
      expect(g.startDate! < '2026-12-01' && g.startDate! > '2025-12-01', g.startDate).toBe(true);
    }
    expect(new Set(goals.map((g) => g.startDate)).size).toBeGreaterThanOrEqual(5);
  });

  it('place the events inside the demo history, before its end', () => {
    const config = addDemoPlans({ teams }, ['payments', 'checkout'], end);
    const dates = (config.annotations ?? []).map((a) => a.date);
    expect(dates.length).toBeGreaterThanOrEqual(5);
    for (const date of dates) expect(date < '2026-12-01' && date > '2026-06-01').toBe(true);
    expect(config.annotations!.find((a) => a.kind === 'postmortem')!.team).toBe('payments');
  });
});
