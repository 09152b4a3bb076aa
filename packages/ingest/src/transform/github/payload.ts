import { httpUrlOrNull, isHttpUrl, urlSchemeOf } from '@stride/shared';
import { z } from 'zod';

/**
 * Thrown by a transform when a payload does not have the shape the GitHub REST API documents
 * (missing field, a value in the wrong case, a wrong type). The sync logs it with the URL the
 * payload came from and skips the object; it never aborts a sync.
 */
export class InvalidPayloadError extends Error {
  constructor(
    readonly kind: string,
    readonly reason: string,
  ) {
    super(`invalid GitHub ${kind} payload: ${reason}`);
    this.name = 'InvalidPayloadError';
  }
}

/** ISO-8601 timestamp as GitHub sends it (`2022-09-03T05:15:09Z`). */
export const isoTime = z.iso.datetime({ offset: true });

/**
 * A link we store and the dashboard shows (`html_url`, a deployment status's `environment_url`,
 * `log_url`, `target_url`): kept only when it is an http(s) URL, otherwise null, so a payload
 * carrying `javascript:` or `data:` loses the link, never the object.
 */
export const linkUrl = z
  .string()
  .nullable()
  .optional()
  .transform((value) => httpUrlOrNull(value));

/** The top-level fields of GitHub objects that hold such links (see linkUrl). */
export const LINK_FIELDS = ['html_url', 'environment_url', 'log_url', 'target_url'] as const;

/**
 * The links of a raw GitHub object that its transform drops (present, not http(s)), as
 * `{ field, scheme }` for a log line (never the value itself: a link may carry a token).
 */
export function findUnsafeLinks(payload: unknown): { field: string; scheme: string }[] {
  if (typeof payload !== 'object' || payload === null) return [];
  const record = payload as Record<string, unknown>;
  return LINK_FIELDS.filter((field) => {
    const value = record[field];
    return value !== undefined && value !== null && value !== '' && !isHttpUrl(value);
  }).map((field) => ({ field, scheme: urlSchemeOf(record[field]) }));
}

export const userSchema = z.object({ login: z.string(), type: z.string().optional() }).nullable().optional();

/** Parses `payload` with `schema` or throws InvalidPayloadError naming the first bad field. */
export function parsePayload<T extends z.ZodType>(schema: T, kind: string, payload: unknown): z.output<T> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(root)';
  throw new InvalidPayloadError(kind, `${path}: ${issue.message}`);
}

/** Bots: GitHub's `type: Bot`, a `[bot]` login suffix, or a configured login (case-insensitive). */
export function isBot(
  user: { login: string; type?: string | undefined } | null | undefined,
  botLogins: readonly string[] = [],
): boolean {
  if (!user) return false;
  if (user.type === 'Bot' || user.login.toLowerCase().endsWith('[bot]')) return true;
  const login = user.login.toLowerCase();
  return botLogins.some((b) => b.toLowerCase() === login);
}
