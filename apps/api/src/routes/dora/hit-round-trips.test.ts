import { createApiToken, type Db, revokeApiTokens } from '@stride/db';
import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import type {
  KyselyPlugin,
  OperationNode,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
} from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// What a request for a kept DORA answer costs the database: under load every hit's statements
// queue for the request pool beside the recomputations, so concurrent hits share their reads
// (token lookup, open-reads count, data version) instead of sending one each.
const end = new Date(Date.UTC(2025, 5, 1));
const org = generateOrg({ teams: 2, membersPerTeam: 3, reposPerTeam: 1, days: 60, end, seed: 47 });
const query = 'from=2025-04-01&to=2025-06-01&granularity=week';

/** Counts the statements sent through the app's Db (every Kysely query and `sql` template). */
function statementCounter(): KyselyPlugin & { count: number } {
  return {
    count: 0,
    transformQuery(args: PluginTransformQueryArgs): OperationNode & typeof args.node {
      this.count += 1;
      return args.node;
    },
    async transformResult(args: PluginTransformResultArgs) {
      return args.result;
    },
  };
}

describe('round trips of a cached DORA answer', () => {
  let t: TestDatabase;
  let counter: ReturnType<typeof statementCounter>;
  let counted: Db;
  const build = (viewerToken?: string): Promise<FastifyInstance> =>
    buildApp({
      db: counted,
      config: loadApiConfig({
        RATE_LIMIT_PER_MINUTE: '100000',
        ...(viewerToken ? { STRIDE_VIEWER_TOKEN: viewerToken } : {}),
      }),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    counter = statementCounter();
    counted = t.db.withPlugin(counter);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  /** Statements sent while `n` concurrent requests for each URL are answered (all 200). */
  async function statementsFor(app: FastifyInstance, n: number, headers: Record<string, string> = {}) {
    const before = counter.count;
    const replies = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        app.inject({ url: i % 2 ? `/api/teams/dora?${query}` : `/api/org/dora?${query}`, headers }),
      ),
    );
    for (const reply of replies) expect(reply.statusCode, reply.body).toBe(200);
    return counter.count - before;
  }

  it('open reads (no token exists): concurrent hits share one count and one version read', async () => {
    const app = await build();
    try {
      await statementsFor(app, 2);
      expect(await statementsFor(app, 20)).toBe(2);
    } finally {
      await app.close();
    }
  });

  it('still sees a token created or revoked before the request (open reads again once none is left)', async () => {
    const app = await build();
    try {
      const first = await createApiToken(t.db, { name: 'round-trips 1', role: 'viewer' });
      const second = await createApiToken(t.db, { name: 'round-trips 2', role: 'viewer' });
      const url = `/api/org/dora?${query}`;
      expect((await app.inject({ url })).statusCode).toBe(401);
      const headers = { authorization: `Bearer ${first.token}` };
      expect((await app.inject({ url, headers })).statusCode).toBe(200);
      await revokeApiTokens(t.db, { id: first.id }, 'round-trips test');
      expect((await app.inject({ url, headers })).statusCode).toBe(401);
      await revokeApiTokens(t.db, { id: second.id }, 'round-trips test');
      expect((await app.inject({ url })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
  it('a viewer token: concurrent hits share one token lookup and one version read', async () => {
    const app = await build('viewer-token-round-trips-01');
    try {
      const headers = { authorization: 'Bearer viewer-token-round-trips-01' };
      await statementsFor(app, 2, headers); // computes both answers, marks the token used
      expect(await statementsFor(app, 1, headers)).toBe(2);
      expect(await statementsFor(app, 20, headers)).toBe(2);
    } finally {
      await app.close();
    }
  });
});
