import { type Db, recordGitHubRateBudget, takeGitHubRateBudget } from '@stride/db';
import type { Logger } from '../logger.ts';
import type { SharedRateBudget } from './github-client.ts';

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/**
 * Per-credential rate budgets shared by every collector process through PostgreSQL
 * (`github_rate_budgets`): before each request one unit (a REST request, a GraphQL query's
 * point) is taken in one statement, so pg-boss workers on several machines together never spend
 * more than GitHub gives a credential; when nothing is left the request waits for the window's
 * reset (logged without the credential's secret). Each answer's `x-ratelimit-remaining` and
 * `x-ratelimit-reset` replace the shared figure (GitHub counts every process's requests).
 * Source: https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api
 */
export function postgresRateBudget(db: Db, logger: Logger): SharedRateBudget {
  return {
    async take(credential, resource, signal) {
      for (;;) {
        const taken = await takeGitHubRateBudget(db, { credential, resource }, 1, 0);
        if (taken.granted) return;
        const waitMs = Math.max(0, taken.resetAt.getTime() - Date.now()) + 1000;
        logger.warn(
          { credential, resource, resetAt: taken.resetAt.toISOString(), waitMs },
          'GitHub rate budget shared by the collectors is used up: waiting for the reset',
        );
        await sleep(waitMs, signal);
      }
    },
    async record(credential, resource, remaining, resetAt) {
      await recordGitHubRateBudget(db, { credential, resource }, remaining, resetAt);
    },
  };
}
