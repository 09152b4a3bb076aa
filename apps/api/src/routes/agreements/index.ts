import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { listTeamAgreementPrs } from '@stride/db';
import type { TeamAgreements } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { checkAgreements } from '../../agreements/check-agreements.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { resolvePeriod } from '../../lib/metrics-query.ts';
import { lastDayOf, resolveTeam } from '../../lib/scope.ts';

/**
 * A team's working agreements (from the config) checked on its PRs of the period `[from, to)`,
 * in the team's timezone with the org's and the team's holidays.
 * @throws StrideError invalid_parameter (period), not_found (team)
 */
export async function computeTeamAgreements(
  app: FastifyInstance,
  slug: string,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<TeamAgreements> {
  const period = resolvePeriod(query, new Date());
  const team = await resolveTeam(app.db, slug, lastDayOf(period.to));
  const configured = app.strideConfig.teams.find((t) => t.slug === slug);
  const holidays = new Set([...(app.strideConfig.holidays ?? []), ...(configured?.holidays ?? [])]);
  const prs = await listTeamAgreementPrs(app.db, { teamId: team.id, from: period.from, to: period.to });
  return checkAgreements({
    team: slug,
    timezone: team.timezone,
    from: period.from,
    to: period.to,
    agreements: configured?.agreements ?? {},
    holidays,
    prs,
  });
}

/** `GET /api/teams/:team/agreements`. */
export const agreementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/teams/:team/agreements', 'GET'),
    handler: (req) => computeTeamAgreements(app, req.params.team, req.query),
  });
};
