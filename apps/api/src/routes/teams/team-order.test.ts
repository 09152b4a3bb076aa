import { parseStrideConfig } from '@stride/shared/config';
import { generateOrg, seedOrg } from '@stride/testkit';
import { createTestDatabase, type TestDatabase } from '@stride/testkit/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { loadApiConfig } from '../../config.ts';

// Teams numbered past 9 ("Team 1" … "Team 12"): every list of teams, in every answer, reads in
// natural order (Team 2 before Team 10), the order the board pack and the overview show.
const end = new Date(Date.UTC(2026, 10, 2));
const org = generateOrg({ teams: 12, membersPerTeam: 2, reposPerTeam: 1, days: 30, end, seed: 12 });
const number = (name: string) => Number(/(\d+)$/.exec(name)![1]);
const natural = org.teams.map((t) => t.name).sort((a, b) => number(a) - number(b));

describe('team order', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    t = await createTestDatabase();
    await seedOrg(t.db, org);
    app = await buildApp({
      db: t.db,
      config: loadApiConfig({}),
      strideConfig: parseStrideConfig({ teams: org.teams }),
      logger: false,
    });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await t?.destroy();
  });

  const get = async (url: string) => {
    const res = await app.inject({ method: 'GET', url });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res;
  };

  it('lists teams in natural order of name in /api/teams, its CSV and /api/teams/dora', async () => {
    expect(natural.slice(0, 3)).toEqual(['Team 1', 'Team 2', 'Team 3']);
    const list = (await get('/api/teams')).json() as { teams: { name: string }[] };
    expect(list.teams.map((x) => x.name)).toEqual(natural);
    const csv = (await get('/api/teams.csv')).body.trim().split('\n').slice(1);
    expect(csv.map((line) => line.split(',')[1])).toEqual(natural);
    const dora = (await get('/api/teams/dora?from=2026-10-05&to=2026-11-02')).json() as {
      teams: { scope: { name: string } }[];
    };
    expect(dora.teams.map((x) => x.scope.name)).toEqual(natural);
  });
});
