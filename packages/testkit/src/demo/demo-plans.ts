import type { AnnotationConfig, StrideConfig, TeamConfig } from '@stride/shared/config';

const DAY_MS = 86_400_000;
const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/**
 * The demo's goals, working agreements, retro schedules and events, added on top of the
 * generated organisation (its `teams` section) so that goals, agreements, annotations and digests
 * work out of the box. Deterministic: dates are relative to the demo's end date, goals are the
 * ones engineering managers commonly set (pickup p50 < 4 h, PR size p50 < 300 lines, change
 * failure rate <= 10 %), and the org aims at 3 deployment days a week. Every goal has a start
 * date 90 to 270 days before the end (teams' differ), where its "Goal set" event is drawn.
 * @param end the demo's end date (its last generated day)
 */
export function addDemoPlans<C extends Pick<StrideConfig, 'teams'> & Partial<StrideConfig>>(
  config: C,
  generatedTeams: readonly string[],
  end: Date,
): C & Required<Pick<StrideConfig, 'goals' | 'holidays' | 'annotations' | 'automaticAnnotations'>> {
  const generated = new Set(generatedTeams);
  const daysBefore = (days: number) => isoDate(new Date(end.getTime() - days * DAY_MS));
  const retroDays = ['thursday', 'tuesday', 'wednesday', 'friday'] as const;
  const teams = config.teams.map((team, i): TeamConfig => {
    if (!generated.has(team.slug)) return team;
    return {
      ...team,
      // Set at different times, each from a start date in the past: the "Goal set" events are
      // drawn there, not on the day the demo was loaded.
      goals: [
        {
          metric: 'pickup_time',
          statistic: 'p50',
          target: '4h',
          direction: '<',
          startDate: daysBefore(180 + 7 * (i % 4)),
        },
        {
          metric: 'pr_size',
          statistic: 'p50',
          target: 300,
          direction: '<',
          startDate: daysBefore(120 + 7 * (i % 3)),
        },
        {
          metric: 'change_failure_rate',
          statistic: 'value',
          target: '10%',
          direction: '<=',
          startDate: daysBefore(240),
        },
        {
          metric: 'change_lead_time',
          statistic: 'p50',
          target: '2d',
          direction: '<',
          startDate: daysBefore(90),
        },
      ],
      agreements: { pickupBusinessHours: 8, maxPrOpenDays: 5, maxWipPerPerson: 3, maxPrSizeLines: 400 },
      retro: { weekday: retroDays[i % retroDays.length], hour: 15, retros: [], hoursBeforeRetro: undefined },
    };
  });
  const [first, second] = generatedTeams;
  const annotations: AnnotationConfig[] = [
    { date: daysBefore(150), kind: 'tool_adoption', title: 'Merge queue on every repository' },
    {
      date: daysBefore(75),
      endDate: daysBefore(62),
      kind: 'freeze',
      title: 'Release freeze for the peak season',
    },
    { date: daysBefore(40), kind: 'process_change', title: 'Review rotation introduced' },
  ];
  if (first)
    annotations.push({
      date: daysBefore(30),
      kind: 'postmortem',
      title: 'Checkout outage postmortem',
      team: first,
    });
  if (second)
    annotations.push({
      date: daysBefore(120),
      kind: 'reorg',
      title: 'Team split: new on-call rota',
      team: second,
    });
  return {
    ...config,
    teams,
    goals: [
      {
        metric: 'deployment_days',
        statistic: 'value',
        target: 3,
        direction: '>=',
        startDate: daysBefore(270),
      },
      {
        metric: 'change_failure_rate',
        statistic: 'value',
        target: '15%',
        direction: '<',
        startDate: daysBefore(200),
      },
    ],
    holidays: [daysBefore(45)],
    // SEV1 only: the demo's many SEV2s would crowd the team charts.
    automaticAnnotations: { incidentSeverity: 1 },
    annotations: [...(config.annotations ?? []), ...annotations],
  };
}
