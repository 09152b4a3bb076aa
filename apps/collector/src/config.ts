import { createPrivateKey } from 'node:crypto';
import { StrideError } from '@stride/shared';
import { z } from 'zod';

/** A comma-separated list of non-empty items (spaces around commas ignored). */
const commaList = z
  .string()
  .transform((text) => text.split(',').map((item) => item.trim()))
  .refine(
    (items) => items.every((item) => item.length > 0),
    'must be a comma-separated list without empty items',
  );

/** Every environment variable the collector reads, validated once at boot. Tokens stay here: never logged. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  STRIDE_DATA_DIR: z.string().default('.stride'),
  STRIDE_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GITHUB_TOKEN: z.string().min(1).optional(),
  /** Several tokens used side by side (each with its own rate limit), beside or instead of GITHUB_TOKEN. */
  GITHUB_TOKENS: commaList.optional(),
  /** A GitHub App (its id and PEM private key; `\n` escapes accepted): its installations' tokens are used. */
  GITHUB_APP_ID: z.coerce.number().int().positive().optional(),
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .transform((pem) => pem.replace(/\\n/g, '\n'))
    .refine((pem) => {
      try {
        createPrivateKey(pem);
        return true;
      } catch {
        return false;
      }
    }, 'must be the GitHub App private key in PEM form (-----BEGIN ... PRIVATE KEY-----)')
    .optional(),
  /** Installations of the app to use (comma-separated ids); default every installation of the app. */
  GITHUB_APP_INSTALLATION_IDS: commaList
    .refine(
      (items) => items.every((item) => /^[1-9]\d*$/.test(item)),
      'must be comma-separated installation ids',
    )
    .transform((items) => items.map(Number))
    .optional(),
  /** Repositories synced at the same time by one collector process (1..16, default 2). */
  GITHUB_PARALLEL_REPOSITORIES: z.coerce.number().int().min(1).max(16).default(2),
  /**
   * `on` (default): each credential's rate limit is a budget shared by every collector process
   * through PostgreSQL (table github_rate_budgets); `off`: each process counts alone.
   */
  GITHUB_SHARED_RATE_BUDGET: z.enum(['on', 'off']).default('on'),
  /** GitHub Enterprise (https://host/api/v3) or a local server speaking the GitHub REST API. */
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  /** Jira Cloud site, e.g. https://acme.atlassian.net (or a local server speaking Jira REST v3). */
  JIRA_HOST: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }).optional(),
  JIRA_EMAIL: z.string().min(1).optional(),
  JIRA_API_TOKEN: z.string().min(1).optional(),
});

export type CollectorConfig = z.infer<typeof envSchema>;

/**
 * Reads the collector's configuration from `env` (default `process.env`); empty variables count as unset.
 * @throws StrideError `invalid_config` naming the variable and the reason.
 */
export function loadCollectorConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  // An empty variable counts as unset (docker compose's `${GITHUB_TOKEN:-}` passes '').
  const result = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const key = issue.path.join('.');
    throw new StrideError('invalid_config', `environment variable ${key}: ${issue.message}`, { target: key });
  }
  const config = result.data;
  if ((config.GITHUB_APP_ID === undefined) !== (config.GITHUB_APP_PRIVATE_KEY === undefined)) {
    const missing = config.GITHUB_APP_ID === undefined ? 'GITHUB_APP_ID' : 'GITHUB_APP_PRIVATE_KEY';
    throw new StrideError(
      'invalid_config',
      `environment variable ${missing}: a GitHub App needs both GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY`,
      { target: missing },
    );
  }
  if (config.GITHUB_APP_INSTALLATION_IDS && config.GITHUB_APP_ID === undefined) {
    throw new StrideError(
      'invalid_config',
      'environment variable GITHUB_APP_INSTALLATION_IDS: set GITHUB_APP_ID and GITHUB_APP_PRIVATE_KEY too',
      { target: 'GITHUB_APP_INSTALLATION_IDS' },
    );
  }
  if (config.JIRA_HOST && (!config.JIRA_EMAIL || !config.JIRA_API_TOKEN)) {
    throw new StrideError(
      'invalid_config',
      'environment variable JIRA_API_TOKEN: JIRA_HOST is set, so JIRA_EMAIL and JIRA_API_TOKEN are required',
      {
        target: 'JIRA_API_TOKEN',
      },
    );
  }
  return config;
}
