import type { CiState } from '@stride/db';
import { z } from 'zod';
import { parsePayload } from './payload.ts';

const checkRunsSchema = z.object({
  total_count: z.number().int().nonnegative(),
  check_runs: z.array(
    z.object({
      status: z.string(),
      conclusion: z.string().nullable().optional(),
    }),
  ),
});

const FAILED = new Set(['failure', 'timed_out', 'cancelled', 'action_required', 'startup_failure']);

/**
 * The CI state of a commit from its check runs (`GET /repos/{o}/{r}/commits/{ref}/check-runs`):
 * `failure` when any completed run failed, timed out, was cancelled or needs action; else
 * `pending` when any is queued or in progress; else `success`; `null` without check runs.
 * Source: https://docs.github.com/en/rest/checks/runs
 * @throws InvalidPayloadError when the answer does not have the documented shape.
 */
export function ciStateOfCheckRuns(payload: unknown): CiState | null {
  const { check_runs: runs } = parsePayload(checkRunsSchema, 'check runs', payload);
  if (runs.length === 0) return null;
  if (runs.some((r) => r.status === 'completed' && FAILED.has(r.conclusion ?? ''))) return 'failure';
  if (runs.some((r) => r.status !== 'completed')) return 'pending';
  return 'success';
}
