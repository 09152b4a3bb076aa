import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type DigestPreview, invalidParameter, notFound } from '@stride/shared';
import type { FastifyInstance } from 'fastify';
import { buildDigest } from '../../digest/build-digest.ts';
import { digestPeriodNow } from '../../digest/digest-period.ts';
import { renderDigest } from '../../digest/render-digest.ts';
import { endpoint } from '../../lib/endpoint.ts';
import { resolvePeriod } from '../../lib/metrics-query.ts';

/** A digest as it would be sent now (or for `from`/`to`): the dashboard's preview. */
async function previewDigest(
  app: FastifyInstance,
  team: string | undefined,
  query: { from?: string | undefined; to?: string | undefined },
): Promise<DigestPreview> {
  if (team !== undefined && !app.strideConfig.teams.some((t) => t.slug === team)) {
    throw notFound('configured team', team);
  }
  if ((query.from === undefined) !== (query.to === undefined)) {
    throw invalidParameter(query.from === undefined ? 'from' : 'to', 'give both from and to, or neither');
  }
  let period: { from: string; to: string };
  if (query.from !== undefined && query.to !== undefined) {
    const resolved = resolvePeriod(query, new Date());
    period = { from: resolved.from.toISOString().slice(0, 10), to: resolved.to.toISOString().slice(0, 10) };
  } else {
    period = digestPeriodNow(app.strideConfig, team, new Date());
  }
  const content = await buildDigest(app, team, period);
  const { subject, text, html } = renderDigest(content);
  return { subject, text, html, period, link: content.link };
}

/** `GET /api/teams/:team/digest`, `GET /api/org/digest`: previews of the digests. */
export const digestRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.route({
    ...endpoint('/api/teams/:team/digest', 'GET'),
    handler: (req) => previewDigest(app, req.params.team, req.query),
  });
  app.route({
    ...endpoint('/api/org/digest', 'GET'),
    handler: (req) => previewDigest(app, undefined, req.query),
  });
};
