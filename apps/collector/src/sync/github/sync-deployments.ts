import {
  getSourceVersions,
  getSyncCursor,
  type NewDeployment,
  type RawPayloadInput,
  saveSyncCursor,
} from '@stride/db';
import {
  type DeploymentStatus,
  deploymentSchema,
  InvalidPayloadError,
  isConfiguredWorkflow,
  isDeploymentRun,
  transformDeployment,
  transformDeploymentStatus,
  transformWorkflowRun,
  workflowRunSchema,
} from '@stride/ingest';
import { throwIfStopping } from '../sync-context.ts';
import { fetchDeploymentStatuses, usesGraphql } from './graphql-lookups.ts';
import {
  badPage,
  bulkRawOf,
  cursorKey,
  fetchAll,
  isoOf,
  logUnsafeLinks,
  mapLimit,
  minTime,
  type PageOutcome,
  PER_PAGE,
  type RepoSync,
  skipInvalid,
  storeRaw,
  walkList,
  writeBatch,
} from './repo-sync.ts';

const OPEN_RUN_STATES = new Set(['requested', 'in_progress', 'queued', 'pending', 'waiting']);
const FINAL_DEPLOYMENT_STATES = new Set(['success', 'failure', 'error', 'inactive']);

/**
 * Environment names to pass as the Deployments API's exact `environment` filter when the
 * configured regex is a plain list (`^(prod|production)$` → prod, production); null when the
 * regex is anything else (then every deployment is listed and the regex is applied here).
 */
export function literalEnvironments(pattern: string): string[] | null {
  const m = /^\^\(?([\w.-]+(?:\|[\w.-]+)*)\)?\$$/.exec(pattern);
  return m ? m[1]!.split('|') : null;
}

/** Whether the walk reached the watermark or the horizon at `time` (ISO). */
function isOld(r: RepoSync, time: string | null, watermark: string | null): boolean {
  if (!time) return false;
  return (watermark !== null && time < watermark) || (r.since !== null && time < r.since.toISOString());
}

/**
 * Deployments API of one repository (source `github_deployments`): `GET /deployments`
 * (filtered by environment where the rule allows, newest first) and, for each new or updated
 * deployment, all its statuses. A status in an undocumented form (e.g. `SUCCESS`) makes that
 * deployment a logged skip. The watermark stays at the oldest deployment not yet final.
 */
export async function syncGitHubDeployments(r: RepoSync): Promise<void> {
  const environments = literalEnvironments(r.rule.environment) ?? [null];
  for (const environment of environments) {
    await walkList<unknown>(
      r,
      `deployments:${environment ?? '*'}`,
      (page, etag) =>
        r.client.get(
          'GET /repos/{owner}/{repo}/deployments',
          {
            owner: r.owner,
            repo: r.repo,
            ...(environment ? { environment } : {}),
            per_page: PER_PAGE,
            page,
          },
          etag,
        ),
      (data) => data as unknown[],
      async (items, watermark, url): Promise<PageOutcome> => {
        if (!Array.isArray(items)) return badPage(r, url, 'an array of deployments');
        const parsed: { payload: unknown; id: string; created: string; updated: string | null }[] = [];
        let stop = false;
        let newest: string | null = null;
        for (const payload of items) {
          const check = deploymentSchema.safeParse(payload);
          if (!check.success) {
            skipInvalid(
              r,
              new InvalidPayloadError('deployment', check.error.issues[0]!.message),
              url,
              'deployment',
            );
            continue;
          }
          const created = isoOf(check.data.created_at)!;
          if (isOld(r, created, watermark)) {
            stop = true;
            break;
          }
          if (newest === null || created > newest) newest = created;
          parsed.push({ payload, id: String(check.data.id), created, updated: isoOf(check.data.updated_at) });
        }
        const versions = await getSourceVersions(
          r.ctx.db,
          { table: 'deployments', source: 'github_deployments' },
          parsed.map((p) => p.id),
        );
        let oldestOpen: string | null = null;
        const changed = parsed.filter((d) => {
          const known = versions.get(d.id);
          if (known && d.updated && known.sourceUpdatedAt?.toISOString() === d.updated) {
            if (!FINAL_DEPLOYMENT_STATES.has(known.status ?? '')) oldestOpen = minTime(oldestOpen, d.created);
            return false;
          }
          return true;
        });
        throwIfStopping(r.ctx);
        // GraphQL path: the statuses of 100 deployments per query; REST: a request per deployment
        // (and for any deployment GraphQL did not resolve).
        const nodeIdOf = (d: { payload: unknown }) => (d.payload as { node_id?: unknown }).node_id;
        const viaGraphql = usesGraphql(r)
          ? await fetchDeploymentStatuses(
              r,
              changed.flatMap((d) => {
                const nodeId = nodeIdOf(d);
                return typeof nodeId === 'string' ? [{ id: Number(d.id), nodeId }] : [];
              }),
            )
          : new Map<number, unknown[]>();
        const withStatuses = await mapLimit(changed, 8, async (d) => ({
          ...d,
          statuses: viaGraphql.has(Number(d.id))
            ? { items: viaGraphql.get(Number(d.id))!, url: r.client.graphqlUrl }
            : await fetchAll(r, 'GET /repos/{owner}/{repo}/deployments/{deployment_id}/statuses', {
                owner: r.owner,
                repo: r.repo,
                deployment_id: Number(d.id),
              }),
        }));
        const rows: NewDeployment[] = [];
        const raw: RawPayloadInput[] = [];
        for (const d of withStatuses) {
          try {
            const statuses: DeploymentStatus[] = d.statuses.items.map(transformDeploymentStatus);
            const row = transformDeployment(d.payload, statuses, {
              repositoryId: r.repositoryId,
              environmentPattern: r.rule.environment,
            });
            rows.push(row);
            // Statuses from GraphQL have no id of GitHub's: they are kept in their deployment's raw
            // payload (one row instead of one per status).
            const graphql = viaGraphql.has(Number(d.id));
            raw.push({
              source: 'github',
              kind: 'deployment',
              externalId: d.id,
              url,
              payload: graphql
                ? { ...(d.payload as Record<string, unknown>), statuses: d.statuses.items }
                : d.payload,
            });
            if (!graphql)
              for (const s of d.statuses.items) {
                raw.push({
                  source: 'github',
                  kind: 'deployment_status',
                  externalId: String((s as { id?: unknown }).id),
                  url: d.statuses.url,
                  payload: s,
                });
              }
            if (!FINAL_DEPLOYMENT_STATES.has(row.status)) oldestOpen = minTime(oldestOpen, d.created);
          } catch (error) {
            skipInvalid(r, error, d.statuses.url, `deployment ${d.id}`);
          }
        }
        logUnsafeLinks(r, raw);
        await writeBatch(r, { deployments: rows, raw_payloads: raw.map(bulkRawOf(r)) });
        r.counts.upserted += rows.length;
        return { newest, oldestOpen, stop };
      },
    );
  }
}

interface WorkflowRef {
  id: number;
  name: string;
  path: string;
}

/** The repository's workflows (`GET /actions/workflows`, conditional; cached in its cursor). */
async function listWorkflows(r: RepoSync): Promise<WorkflowRef[]> {
  const key = cursorKey(r, 'workflows');
  const stored = await getSyncCursor(r.ctx.db, key);
  const cached = stored.cursor ? (JSON.parse(stored.cursor) as WorkflowRef[]) : null;
  const result = await r.client.get<{ workflows?: unknown }>(
    'GET /repos/{owner}/{repo}/actions/workflows',
    { owner: r.owner, repo: r.repo, per_page: PER_PAGE },
    cached ? stored.etag : null,
  );
  if (result.notModified && cached) return cached;
  if (result.notModified) return [];
  const list = Array.isArray(result.data.workflows) ? result.data.workflows : [];
  const workflows: WorkflowRef[] = [];
  for (const w of list as Record<string, unknown>[]) {
    if (typeof w?.id === 'number' && typeof w.name === 'string' && typeof w.path === 'string') {
      workflows.push({ id: w.id, name: w.name, path: w.path });
    } else
      skipInvalid(
        r,
        new InvalidPayloadError('workflow', 'id, name and path are required'),
        result.url,
        'workflow',
      );
  }
  await storeRaw(
    r,
    (list as Record<string, unknown>[])
      .filter((w) => typeof w?.id === 'number')
      .map((w) => ({
        source: 'github',
        kind: 'workflow',
        externalId: String(w.id),
        url: result.url,
        payload: w,
      })),
  );
  await saveSyncCursor(r.ctx.db, key, { cursor: JSON.stringify(workflows), etag: result.etag });
  return workflows;
}

/**
 * Actions runs of the configured deployment workflows (source `workflow_runs`):
 * `GET /actions/workflows/{id}/runs`, newest first. Runs on the default branch are production;
 * other branches are stored as context. A run with status values in the wrong case is a logged
 * skip. The watermark stays at the oldest run not yet completed.
 */
export async function syncWorkflowRuns(r: RepoSync): Promise<void> {
  if (r.rule.workflows.length === 0) {
    r.ctx.logger.warn(
      { repository: r.fullName },
      'deployments from workflow_runs but no workflows configured',
    );
    return;
  }
  const workflows = (await listWorkflows(r)).filter((w) => isConfiguredWorkflow(r.rule.workflows, w));
  if (workflows.length === 0) {
    r.ctx.logger.warn(
      { repository: r.fullName, workflows: r.rule.workflows },
      'no configured workflow found',
    );
  }
  for (const workflow of workflows) {
    await walkList<{ workflow_runs?: unknown }>(
      r,
      `runs:${workflow.id}`,
      (page, etag) =>
        r.client.get(
          'GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs',
          { owner: r.owner, repo: r.repo, workflow_id: workflow.id, per_page: PER_PAGE, page },
          etag,
        ),
      (data) => data?.workflow_runs as unknown[],
      async (items, watermark, url): Promise<PageOutcome> => {
        if (!Array.isArray(items)) return badPage(r, url, '{ workflow_runs: [...] }');
        let stop = false;
        let newest: string | null = null;
        let oldestOpen: string | null = null;
        const candidates: { payload: unknown; id: string; created: string | null; updated: string | null }[] =
          [];
        for (const payload of items) {
          const p = payload as { id?: unknown; created_at?: unknown; updated_at?: unknown };
          const created = isoOf(p?.created_at);
          if (isOld(r, created, watermark)) {
            stop = true;
            break;
          }
          if (created && (newest === null || created > newest)) newest = created;
          candidates.push({ payload, id: String(p?.id), created, updated: isoOf(p?.updated_at) });
        }
        const versions = await getSourceVersions(
          r.ctx.db,
          { table: 'deployments', source: 'workflow_runs' },
          candidates.map((c) => c.id),
        );
        const rows = [];
        const raw: RawPayloadInput[] = [];
        for (const c of candidates) {
          const known = versions.get(c.id);
          if (known && c.updated && known.sourceUpdatedAt?.toISOString() === c.updated) {
            if (OPEN_RUN_STATES.has(known.status ?? '') && c.created)
              oldestOpen = minTime(oldestOpen, c.created);
            continue;
          }
          try {
            const row = transformWorkflowRun(c.payload, {
              repositoryId: r.repositoryId,
              defaultBranch: r.defaultBranch,
              deploys: (run) => isDeploymentRun(r.rule, r.fullName, run),
            });
            rows.push(row);
            raw.push({ source: 'github', kind: 'workflow_run', externalId: c.id, url, payload: c.payload });
            const parsed = workflowRunSchema.parse(c.payload);
            if (parsed.status !== 'completed' && c.created) oldestOpen = minTime(oldestOpen, c.created);
          } catch (error) {
            skipInvalid(r, error, `${url}#run-${c.id}`, 'workflow run');
          }
        }
        logUnsafeLinks(r, raw);
        await writeBatch(r, { deployments: rows, raw_payloads: raw.map(bulkRawOf(r)) });
        r.counts.upserted += rows.length;
        return { newest, oldestOpen, stop };
      },
    );
  }
}
