import { StrideError } from '@stride/shared';
import { z } from 'zod';

/** Every environment variable the API reads, validated once at boot. */
const envSchema = z.object({
  DATABASE_URL: z.string().url().optional(),
  STRIDE_DATA_DIR: z.string().default('.stride'),
  STRIDE_CONFIG: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Origin allowed by CORS (the dashboard when served elsewhere, e.g. Vite's dev server). */
  CORS_ORIGIN: z.string().optional(),
  /** Bootstrap tokens (hashed on start). Without any viewer token, reads are open (local use). */
  STRIDE_ADMIN_TOKEN: z.string().min(16).optional(),
  STRIDE_VIEWER_TOKEN: z.string().min(16).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(1).optional(),
  /**
   * Longest a statement of an API request may run, in milliseconds (PostgreSQL
   * `statement_timeout` on the API's connections); past it the request is a 503 `query_timeout`.
   */
  STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  /**
   * DORA answers kept in memory, one per set of inputs, checked against the data's version
   * (`AnswerCache`): a committed write or a rollup refresh changes the version, so a kept answer
   * equals a fresh one. At most this many sets of inputs; 0 turns the cache off.
   */
  ANSWER_CACHE_ENTRIES: z.coerce.number().int().min(0).max(100_000).default(500),
  /** Approximate memory the DORA answers may hold, in MB (least recently used dropped first). */
  ANSWER_CACHE_MB: z.coerce.number().int().min(1).max(4096).default(64),
  /**
   * While a DORA answer is being refreshed for other requests, a request gets the previous answer
   * at once if it is at most this old (ms since its computation started), instead of waiting for
   * the refresh; the figures reflect a write once the refresh queued after it completes. 0: every
   * request waits for figures holding every write committed before it (`AnswerCache`).
   */
  ANSWER_MAX_STALE_MS: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** Requests per minute and client address before a 429 (@fastify/rate-limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Whether the API is behind a reverse proxy whose X-Forwarded-For / X-Forwarded-Proto it
   * trusts: `false` (default: the headers are ignored, the client is the socket's peer), `true`
   * (trust every hop), a number of hops, or a comma-separated list of proxy addresses/CIDRs.
   * When trusted, a proxy's `X-Forwarded-Proto: https` makes the session cookie `Secure` and
   * sends HSTS, and rate limiting counts per forwarded client address.
   */
  TRUST_PROXY: z
    .string()
    .default('false')
    .transform((value, ctx): boolean | number | string => {
      const v = value.trim().toLowerCase();
      if (v === 'false' || v === '0' || v === 'no') return false;
      if (v === 'true' || v === 'yes') return true;
      if (/^\d+$/.test(v)) return Number(v);
      if (/^[0-9a-f:.]+(\/\d{1,3})?(\s*,\s*[0-9a-f:.]+(\/\d{1,3})?)*$/.test(v)) return v;
      ctx.addIssue({
        code: 'custom',
        message: 'must be true, false, a number of hops or a comma-separated list of proxy addresses',
      });
      return z.NEVER;
    }),
  /** Slack incoming webhook the digests are posted to (a secret: never logged nor served). */
  STRIDE_DIGEST_SLACK_WEBHOOK_URL: z.string().url().optional(),
  /** SMTP server of the e-mail digests, `smtp://user:password@host:587` or `smtps://…` (a secret). */
  STRIDE_DIGEST_SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional(),
  STRIDE_DIGEST_EMAIL_FROM: z.string().min(3).default('Stride <stride@localhost>'),
  /** Comma-separated recipients of the e-mail digests. */
  STRIDE_DIGEST_EMAIL_TO: z.string().min(3).optional(),
  /** Directory of the built dashboard to serve (apps/web/dist). */
  WEB_DIST_DIR: z.string().optional(),
});

export type ApiConfig = z.infer<typeof envSchema>;

/**
 * Reads the API's configuration from `env` (default `process.env`); empty variables count as unset.
 * @throws StrideError `invalid_config` naming the variable and the reason.
 */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  // An empty variable counts as unset (docker compose's `${GITHUB_TOKEN:-}` passes '').
  const result = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const key = issue.path.join('.');
  throw new StrideError('invalid_config', `environment variable ${key}: ${issue.message}`, { target: key });
}

/** Where one digest goes, resolved from the environment (secrets: never logged nor served). */
export interface DigestDestination {
  /** Slack incoming-webhook URL, or undefined for no Slack post. */
  slackWebhookUrl: string | undefined;
  /** E-mail recipients (empty: no e-mail). */
  emailTo: string[];
}

/** Every digest's destinations: the defaults and, by digest key (`team:<slug>`, `org`), their own. */
export interface DigestChannels {
  /** SMTP server of every e-mail digest (`STRIDE_DIGEST_SMTP_URL`). */
  smtpUrl: string | undefined;
  emailFrom: string;
  /** `STRIDE_DIGEST_SLACK_WEBHOOK_URL`, `STRIDE_DIGEST_EMAIL_TO`: digests without their own channel. */
  defaults: DigestDestination;
  /** Per digest key, the channels the config gives it; a channel it leaves out takes the default. */
  byDigest: Record<string, { slackWebhookUrl?: string; emailTo?: string[] }>;
}

interface DigestChannelsInput {
  teams: readonly { slug: string; digest?: { slackWebhookEnv?: string; email?: string[] } | undefined }[];
  digests?: { org?: { slackWebhookEnv?: string; email?: string[] } } | undefined;
}

/**
 * Resolves the digest channels (docs/metrics.md, "Digests"): the defaults from the API's
 * environment and, per team and for the org digest, the Slack webhook URL read from the
 * environment variable the config names (`teams[].digest.slackWebhookEnv`,
 * `digests.org.slackWebhookEnv`) and the config's recipients (`email`).
 * @throws StrideError `invalid_config` naming the config key and the variable when the variable
 *   is unset or not an http(s) URL (its value is never in the message)
 */
export function resolveDigestChannels(
  config: Pick<
    ApiConfig,
    | 'STRIDE_DIGEST_SLACK_WEBHOOK_URL'
    | 'STRIDE_DIGEST_SMTP_URL'
    | 'STRIDE_DIGEST_EMAIL_FROM'
    | 'STRIDE_DIGEST_EMAIL_TO'
  >,
  strideConfig: DigestChannelsInput,
  env: NodeJS.ProcessEnv = process.env,
): DigestChannels {
  const readWebhook = (variable: string, key: string): string => {
    const value = env[variable];
    if (value === undefined || value === '') {
      throw new StrideError(
        'invalid_config',
        `${key}: environment variable ${variable} is not set (it holds the Slack incoming-webhook URL)`,
        { target: key },
      );
    }
    if (!/^https?:\/\/[^\s]+$/.test(value) || !URL.canParse(value)) {
      throw new StrideError(
        'invalid_config',
        `${key}: environment variable ${variable} must be an http(s) URL`,
        {
          target: key,
        },
      );
    }
    return value;
  };
  const own = (channels: { slackWebhookEnv?: string; email?: string[] } | undefined, key: string) => ({
    ...(channels?.slackWebhookEnv
      ? { slackWebhookUrl: readWebhook(channels.slackWebhookEnv, `${key}.slackWebhookEnv`) }
      : {}),
    ...(channels?.email ? { emailTo: [...channels.email] } : {}),
  });
  const byDigest: DigestChannels['byDigest'] = {};
  strideConfig.teams.forEach((team, index) => {
    if (team.digest) byDigest[`team:${team.slug}`] = own(team.digest, `teams[${index}].digest`);
  });
  const org = strideConfig.digests?.org;
  if (org?.slackWebhookEnv || org?.email) byDigest.org = own(org, 'digests.org');
  return {
    smtpUrl: config.STRIDE_DIGEST_SMTP_URL,
    emailFrom: config.STRIDE_DIGEST_EMAIL_FROM,
    defaults: {
      slackWebhookUrl: config.STRIDE_DIGEST_SLACK_WEBHOOK_URL,
      emailTo: (config.STRIDE_DIGEST_EMAIL_TO ?? '')
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean),
    },
    byDigest,
  };
}
