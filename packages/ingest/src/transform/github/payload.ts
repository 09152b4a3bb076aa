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
