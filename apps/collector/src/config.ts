import { StrideError } from '@stride/shared';
import { z } from 'zod';

/** Every environment variable the collector reads, validated once at boot. Tokens stay here: never logged. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  STRIDE_DATA_DIR: z.string().default('.stride'),
  STRIDE_CONFIG: z.string().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  GITHUB_TOKEN: z.string().min(1).optional(),
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
