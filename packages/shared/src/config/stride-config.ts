import { readFile } from 'node:fs/promises';
import {
  BENCHMARK_YEARS,
  checkGoal,
  GOAL_DIRECTIONS,
  GOAL_METRIC_IDS,
  GOAL_STATISTICS,
  type GoalMetric,
  isIsoDate,
  parseGoalTarget,
  parseIsoInstant,
} from '@stride/metrics';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { MANUAL_ANNOTATION_KINDS } from '../api/annotations.ts';
import { StrideError } from '../errors.ts';

const repoFullName = z.string().regex(/^[\w.-]+\/[\w.-]+$/, 'must be "owner/name"');
const isoDate = z.string().refine(isIsoDate, 'must be a date YYYY-MM-DD');
/** A date, or a date-time with its offset (one without would be read in the server's timezone). */
const isoDateOrInstant = z
  .string()
  .refine(
    (value) => parseIsoInstant(value) !== null,
    'must be a date YYYY-MM-DD or a date-time with an offset',
  );
const regex = z.string().refine((value) => {
  try {
    new RegExp(value, 'i');
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');
const timezone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}, 'must be an IANA timezone such as Europe/Berlin');

/** The workflow run events that deploy unless a rule says otherwise (`workflowEvents`). */
export const DEFAULT_WORKFLOW_EVENTS = ['push', 'workflow_dispatch'] as const;

const workflowEvents = z
  .array(z.string().regex(/^[a-z_]+$/, 'must be a GitHub Actions event name such as push'))
  .refine(
    (events) => !events.some((e) => e.startsWith('pull_request')),
    'pull_request events never deploy (a pull request, possibly from a fork, is not a production release)',
  );

/** How a repository's production deployments are found (docs/metrics.md, "Deployment"). */
export const deploymentRuleSchema = z
  .object({
    source: z
      .enum(['github_deployments', 'workflow_runs', 'webhook', 'releases', 'tags'])
      .default('github_deployments'),
    /** Case-insensitive regex of production environment names. */
    environment: regex.default('^(prod|production)$'),
    /** Workflow file names or names, for source = workflow_runs. */
    workflows: z.array(z.string().min(1)).default([]),
    /**
     * Run events (`workflow_run.event`) that deploy, for source = workflow_runs. `schedule` only
     * when listed; pull_request events never deploy (a fork's branch may be named like the default).
     */
    workflowEvents: workflowEvents.default([...DEFAULT_WORKFLOW_EVENTS]),
    /** Case-insensitive regex a tag name must match, for source = releases or tags (default: every tag). */
    tagPattern: regex.optional(),
  })
  .strict();

/**
 * A per-repository override of the deployment rule: only the keys it sets (no defaults, which
 * would silently replace the `github.deployments` values it is merged over).
 */
export const deploymentRuleOverrideSchema = z
  .object({
    source: deploymentRuleSchema.shape.source.unwrap().optional(),
    environment: regex.optional(),
    workflows: z.array(z.string().min(1)).optional(),
    workflowEvents: workflowEvents.optional(),
    tagPattern: regex.optional(),
  })
  .strict();

const teamSlug = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');

export const memberSchema = z
  .object({
    name: z.string().optional(),
    github: z.string().min(1).optional(),
    jira: z.string().min(1).optional(),
    /** Membership is dated: a change belongs to the team of its author at merged_at. */
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .refine(
    (m) => m.github !== undefined || m.jira !== undefined,
    'a member needs a github login or a jira account id',
  );

/**
 * A goal on a figure of docs/metrics.md (docs/metrics.md, "Goals"): `target` in the figure's
 * unit (seconds, ratio 0..1, lines, per week) or with a unit (`4h`, `10%`), read to a number.
 */
export const goalSchema = z
  .object({
    metric: z.enum(GOAL_METRIC_IDS as [GoalMetric, ...GoalMetric[]]),
    statistic: z.enum(GOAL_STATISTICS as ['p50', 'p90', 'value']),
    target: z.union([z.number(), z.string()]),
    direction: z.enum(GOAL_DIRECTIONS as ['<', '<=', '>', '>=']),
    startDate: isoDate.optional(),
  })
  .strict();

/** Working agreements checked on every PR of the team (docs/metrics.md, "Working agreements"). */
export const agreementsSchema = z
  .object({
    /** First review or comment within this many business hours (team timezone; weekends and holidays excluded). */
    pickupBusinessHours: z.number().positive().optional(),
    /** A PR is open at most this many days. */
    maxPrOpenDays: z.number().positive().optional(),
    /** At most this many open PRs per author (checked per person, reported for the team). */
    maxWipPerPerson: z.number().int().positive().optional(),
    /** A PR changes at most this many lines (additions + deletions). */
    maxPrSizeLines: z.number().int().positive().optional(),
  })
  .strict();

export const ANNOTATION_KINDS = MANUAL_ANNOTATION_KINDS;

/** An event that explains a line (a reorg, a freeze...): drawn as a marker on time charts. */
export const annotationSchema = z
  .object({
    date: isoDate,
    /** Last day of an event that lasts (a freeze); drawn as an area. */
    endDate: isoDate.optional(),
    kind: z.enum(ANNOTATION_KINDS),
    title: z.string().min(1).max(200),
    /** Team slug; without it the event is org-wide. */
    team: z.string().optional(),
  })
  .strict()
  .refine((a) => a.endDate === undefined || a.endDate >= a.date, {
    message: 'must not be before date',
    path: ['endDate'],
  });

const weekday = z.enum(['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday']);
/** When a digest goes out: a weekday and hour (team timezone), or N hours before each retro date. */
export const digestScheduleSchema = z
  .object({
    weekday: weekday.optional(),
    hour: z.number().int().min(0).max(23).default(9),
    /** Retro dates and times (ISO date-time with an offset, or a date = 10:00 in the team's timezone). */
    retros: z.array(isoDateOrInstant).default([]),
    hoursBeforeRetro: z.number().int().positive().optional(),
  })
  .strict();

const envVarName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    'must be the name of an environment variable such as STRIDE_SLACK_WEBHOOK_PAYMENTS (the secret URL stays in the environment)',
  );

/**
 * Where one digest goes (docs/metrics.md, "Digests"): the Slack incoming webhook is named by the
 * environment variable that holds its URL (a secret, never written in the config file), e-mail
 * by its recipients. A channel left out falls back to the API's defaults
 * (`STRIDE_DIGEST_SLACK_WEBHOOK_URL`, `STRIDE_DIGEST_EMAIL_TO`).
 */
export const digestChannelsSchema = z
  .object({
    /** Environment variable holding the Slack incoming-webhook URL of this digest. */
    slackWebhookEnv: envVarName.optional(),
    /** E-mail recipients of this digest (sent through `STRIDE_DIGEST_SMTP_URL`). */
    email: z.array(z.email('must be an e-mail address')).min(1).optional(),
  })
  .strict();

export const teamSchema = z
  .object({
    slug: teamSlug,
    name: z.string().min(1),
    timezone: timezone.default('UTC'),
    members: z.array(memberSchema).default([]),
    repositories: z.array(repoFullName).default([]),
    jiraProjects: z.array(z.string().min(1)).default([]),
    goals: z.array(goalSchema).optional(),
    agreements: agreementsSchema.optional(),
    /** Extra non-working days of this team (ISO dates), besides the org's `holidays`. */
    holidays: z.array(isoDate).optional(),
    /** When the team's pre-retro digest goes out (default: Monday 09:00 in its timezone). */
    retro: digestScheduleSchema.optional(),
    /** Where the team's digest goes (its own Slack channel and recipients). */
    digest: digestChannelsSchema.optional(),
  })
  .strict()
  .superRefine((team, ctx) => checkGoals(team.goals ?? [], 'team', ['goals'], ctx));

/**
 * How AI-assisted changes are detected and compared (docs/metrics.md, "AI impact"). The built-in
 * identities and markers (`@stride/ingest`, `ai/known-ai-markers.ts`) apply unless `defaults` is
 * false; the lists here extend them. Markers are regexes matched case-insensitively, line by line
 * (`^` and `$` match at line ends), against commit messages and PR descriptions.
 */
export const aiConfigSchema = z
  .object({
    /** Use the built-in agent logins, commit markers and labels (false: only the ones below). */
    defaults: z.boolean().default(true),
    /** GitHub logins of coding agents: a PR they open, or whose commits they all author, is `agent`. */
    agentLogins: z.array(z.string().min(1)).default([]),
    /** Regexes that mark a commit message or PR description as AI-assisted. */
    markers: z.array(regex).default([]),
    /** PR labels that mark a PR as AI-assisted (case-insensitive). */
    labels: z.array(z.string().min(1)).default([]),
    /** A team's adoption date (before/after view) is the first bucket whose adoption reaches this share. */
    adoptionShare: z.number().gt(0).lte(1).default(0.25),
    /** Adoption dates set by hand, per team slug (they win over `adoptionShare`). */
    adoptionDates: z.record(teamSlug, isoDate).default({}),
    /** Fewer PRs than this on either side of a comparison: "not enough data", no difference shown. */
    minSamples: z.number().int().min(2).default(10),
    /**
     * GitHub's Copilot metrics API (daily active and engaged users, suggestions, acceptances), collected
     * for each organisation in `orgs` (default: `github.orgs`) and per GitHub team: a Stride team's
     * GitHub team slug is `teams[slug]`, else its own slug. `enabled: false` collects nothing.
     */
    copilot: z
      .object({
        enabled: z.boolean().default(true),
        orgs: z.array(z.string().min(1)).optional(),
        teams: z.record(teamSlug, z.string().min(1)).default({}),
      })
      .strict()
      .default({ enabled: true, teams: {} }),
  })
  .strict();

export const AI_CONFIG_DEFAULTS: z.infer<typeof aiConfigSchema> = {
  defaults: true,
  agentLogins: [],
  markers: [],
  labels: [],
  adoptionShare: 0.25,
  adoptionDates: {},
  minSamples: 10,
  copilot: { enabled: true, teams: {} },
};

export const strideConfigSchema = z
  .object({
    github: z
      .object({
        repositories: z.array(repoFullName).default([]),
        orgs: z.array(z.string().min(1)).default([]),
        deployments: deploymentRuleSchema.default({
          source: 'github_deployments',
          environment: '^(prod|production)$',
          workflows: [],
          workflowEvents: [...DEFAULT_WORKFLOW_EVENTS],
        }),
        /** Per-repository overrides of `deployments`. */
        repositoryRules: z.record(repoFullName, deploymentRuleOverrideSchema).default({}),
        /** Label that marks a GitHub issue as an incident (case-insensitive). */
        incidentLabel: z.string().min(1).default('incident'),
        /** Labels that mark a PR as unplanned work (bug, hotfix, revert). */
        unplannedLabels: z.array(z.string().min(1)).default(['bug', 'hotfix', 'revert']),
        /** Logins treated as bots besides those GitHub marks as `type: Bot`. */
        botLogins: z.array(z.string()).default([]),
        /**
         * How pull request history is fetched: `graphql` (many PRs with their commits, reviews and
         * comments per query; REST with ETags still answers "anything new?") or `rest` (one
         * request per PR part).
         */
        history: z.enum(['graphql', 'rest']).default('rest'),
      })
      .strict()
      .default({
        repositories: [],
        orgs: [],
        deployments: {
          source: 'github_deployments',
          environment: '^(prod|production)$',
          workflows: [],
          workflowEvents: [...DEFAULT_WORKFLOW_EVENTS],
        },
        repositoryRules: {},
        incidentLabel: 'incident',
        unplannedLabels: ['bug', 'hotfix', 'revert'],
        botLogins: [],
        history: 'rest',
      }),
    jira: z
      .object({
        projects: z.array(z.string().min(1)).default([]),
        /** Issue types (ids or names, any language) that are incidents. */
        incidentTypes: z.array(z.string().min(1)).default(['Incident']),
        /** Labels that make any issue an incident. */
        incidentLabels: z.array(z.string().min(1)).default(['incident']),
        /** Issue types (ids or names) that are bugs: unplanned work. */
        bugTypes: z.array(z.string().min(1)).default(['Bug']),
      })
      .strict()
      .optional(),
    incidents: z
      .object({
        /** An incident is caused by the last production deployment within this window before it started. */
        attributionWindowDays: z.number().int().positive().default(7),
      })
      .strict()
      .default({ attributionWindowDays: 7 }),
    sync: z
      .object({
        intervalMinutes: z.number().int().positive().default(15),
        backfillDays: z.number().int().positive().default(365),
      })
      .strict()
      .default({ intervalMinutes: 15, backfillDays: 365 }),
    /** Default benchmark year for performance levels. */
    benchmark: z.literal(BENCHMARK_YEARS).default(2023),
    teams: z.array(teamSchema).default([]),
    /** Org goals (DORA figures of the whole org). */
    goals: z.array(goalSchema).optional(),
    /** Non-working days of every team (ISO dates): left out of business hours. */
    holidays: z.array(isoDate).optional(),
    annotations: z.array(annotationSchema).optional(),
    /** Events added automatically: incidents of this severity rank or worse (1 = SEV1/P1/critical). */
    automaticAnnotations: z
      .object({ incidentSeverity: z.number().int().min(1).max(5).default(2) })
      .strict()
      .optional(),
    digests: z
      .object({
        /** Where links in digests point (the dashboard's public address). */
        dashboardUrl: z.string().url().default('http://127.0.0.1:3000'),
        /** The org digest for the Head of Engineering (default Monday 08:00 UTC). */
        org: z
          .object({
            weekday: weekday.default('monday'),
            hour: z.number().int().min(0).max(23).default(8),
            timezone: timezone.default('UTC'),
            /** Environment variable holding the Slack incoming-webhook URL of the org digest. */
            slackWebhookEnv: envVarName.optional(),
            /** E-mail recipients of the org digest. */
            email: z.array(z.email('must be an e-mail address')).min(1).optional(),
          })
          .strict()
          .default({ weekday: 'monday', hour: 8, timezone: 'UTC' }),
      })
      .strict()
      .optional(),
    ai: aiConfigSchema.default(AI_CONFIG_DEFAULTS),
  })
  .strict()
  .superRefine((config, ctx) => {
    checkGoals(config.goals ?? [], 'org', ['goals'], ctx);
    const slugs = new Set(config.teams.map((t) => t.slug));
    (config.annotations ?? []).forEach((a, index) => {
      if (a.team !== undefined && !slugs.has(a.team)) {
        ctx.addIssue({
          code: 'custom',
          path: ['annotations', index, 'team'],
          message: `unknown team '${a.team}'`,
        });
      }
    });
    const seen = new Set<string>();
    config.teams.forEach((team, index) => {
      if (seen.has(team.slug)) {
        ctx.addIssue({
          code: 'custom',
          path: ['teams', index, 'slug'],
          message: `duplicate team slug '${team.slug}'`,
        });
      }
      seen.add(team.slug);
    });
  });

/** Cross-field checks of goals (statistic of the metric, org scope, readable target), naming the field. */
function checkGoals(
  goals: z.infer<typeof goalSchema>[],
  scope: 'org' | 'team',
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  goals.forEach((goal, index) => {
    const problem = checkGoal({ ...goal, scope });
    if (problem)
      ctx.addIssue({ code: 'custom', path: [...path, index, problem.field], message: problem.message });
    const target = parseGoalTarget(goal.metric, goal.target);
    if (typeof target !== 'number') {
      ctx.addIssue({ code: 'custom', path: [...path, index, 'target'], message: target.error });
    }
  });
}

export type StrideConfig = z.infer<typeof strideConfigSchema>;
export type GoalConfig = z.infer<typeof goalSchema>;
export type AnnotationConfig = z.infer<typeof annotationSchema>;
export type AgreementsConfig = z.infer<typeof agreementsSchema>;
export type TeamConfig = z.infer<typeof teamSchema>;
export type DigestChannelsConfig = z.infer<typeof digestChannelsSchema>;
export type DeploymentRule = z.infer<typeof deploymentRuleSchema>;
export type AiConfig = z.infer<typeof aiConfigSchema>;

function formatPath(path: PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/**
 * Validates a parsed config object.
 * @throws StrideError `invalid_config` whose message names the key path and the reason,
 *   e.g. `teams[0].timezone: must be an IANA timezone such as Europe/Berlin`.
 */
export function parseStrideConfig(input: unknown, origin = 'stride config'): StrideConfig {
  const result = strideConfigSchema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const key = formatPath(issue.path);
    const message =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.map((k) => `'${k}'`).join(', ')}`
        : issue.message;
    return key ? `${key}: ${message}` : message;
  });
  const first = result.error.issues[0];
  throw new StrideError('invalid_config', `${origin} is invalid: ${issues.join('; ')}`, {
    target: first ? formatPath(first.path) : undefined,
  });
}

/**
 * Reads and validates a YAML config file.
 * @throws StrideError `invalid_config` naming the file and key path (or the YAML line) at fault.
 */
export async function loadStrideConfig(path: string): Promise<StrideConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new StrideError('invalid_config', `cannot read config file ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}` : '';
    throw new StrideError(
      'invalid_config',
      `${path} is not valid YAML${where}: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return parseStrideConfig(parsed, path);
}
