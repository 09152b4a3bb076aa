import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GitHubClient } from '@stride/collector';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const UNIT_MS = 250;

/**
 * A local server answering GitHub's `GET /repos/{owner}/{repo}/pulls/{n}`: pull 1 answers the
 * limit chosen by the test once, every other request a 200 (records arrival times).
 */
describe('GitHub rate limits hold every request of the credential', () => {
  const arrivals: { n: number; at: number }[] = [];
  let limit: 'primary' | 'secondary' = 'primary';
  let limitedAt = 0;
  let limitedOnce = false;
  let url = '';
  const server = createServer((req, res) => {
    const n = Number(/\/pulls\/(\d+)/.exec(req.url ?? '')?.[1]);
    arrivals.push({ n, at: Date.now() });
    if (n === 1 && !limitedOnce) {
      limitedOnce = true;
      limitedAt = Date.now();
      const headers: Record<string, string> =
        limit === 'primary'
          ? {
              'x-ratelimit-remaining': '0',
              'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 1),
            }
          : { 'retry-after': '3' };
      res.writeHead(limit === 'primary' ? 403 : 429, { 'content-type': 'application/json', ...headers });
      res.end(
        JSON.stringify({ message: limit === 'primary' ? 'API rate limit exceeded' : 'secondary rate limit' }),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'x-ratelimit-remaining': '4000' });
    res.end(JSON.stringify({ number: n }));
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  for (const kind of ['primary', 'secondary'] as const) {
    it(`${kind}: no other request leaves before the reset / retry-after, from any client with the token`, async () => {
      arrivals.length = 0;
      limit = kind;
      limitedOnce = false;
      const token = `token-${kind}`;
      const logger = pino({ level: 'silent' });
      const a = new GitHubClient({ baseUrl: url, token, logger, waitUnitMs: UNIT_MS });
      const b = new GitHubClient({ baseUrl: url, token, logger, waitUnitMs: UNIT_MS });
      const route = 'GET /repos/{owner}/{repo}/pulls/{pull_number}';
      const first = a.get(route, { owner: 'o', repo: 'r', pull_number: 1 });
      while (!limitedOnce) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 30));
      const others = [2, 3, 4, 5, 6].map((n) =>
        (n % 2 ? a : b).get(route, { owner: 'o', repo: 'r', pull_number: n }),
      );
      await Promise.all([first, ...others]);
      // primary: reset in 1..2 s -> at least 2 units; secondary: retry-after 3 units.
      const minimum = (kind === 'primary' ? 2 : 3) * UNIT_MS - 20;
      const early = arrivals.filter((r) => r.at > limitedAt && r.at < limitedAt + minimum);
      expect(early).toEqual([]);
      expect(arrivals.filter((r) => r.n !== 1)).toHaveLength(5);
    });
  }
});
