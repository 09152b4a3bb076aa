import { timingSafeEqual } from 'node:crypto';

/**
 * Verifies GitHub's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` in constant
 * time (https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries).
 */
export function isValidGithubSignature(expectedHex: string, header: string | undefined): boolean {
  const match = /^sha256=([0-9a-f]{64})$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(match[1]!.toLowerCase(), 'hex');
  const expected = Buffer.from(expectedHex, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
