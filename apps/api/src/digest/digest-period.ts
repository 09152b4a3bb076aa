import { invalidParameter } from '@stride/shared';
import type { StrideConfig } from '@stride/shared/config';
import { latestDigestOccurrence } from './digest-schedule.ts';

/**
 * The period of the digest a team (or the org, `team` undefined) gets at `now` under its
 * schedule: the last one due, or the 7 days before `now` when none is due yet.
 * @throws StrideError invalid_parameter naming `team` when the config has no such team
 */
export function digestPeriodNow(
  config: StrideConfig,
  team: string | undefined,
  now: Date,
): { from: string; to: string } {
  let occurrence: ReturnType<typeof latestDigestOccurrence>;
  if (team === undefined) {
    occurrence = latestDigestOccurrence(
      config.digests?.org ?? { weekday: 'monday', hour: 8, timezone: 'UTC' },
      now,
    );
  } else {
    const configured = config.teams.find((t) => t.slug === team);
    if (!configured) throw invalidParameter('team', `'${team}' is not a configured team`);
    occurrence = latestDigestOccurrence(
      { timezone: configured.timezone, weekday: 'monday', hour: 9, ...configured.retro },
      now,
    );
  }
  if (occurrence) return { from: occurrence.from, to: occurrence.to };
  const to = now.toISOString().slice(0, 10);
  return { from: new Date(now.getTime() - 7 * 86_400_000).toISOString().slice(0, 10), to };
}
