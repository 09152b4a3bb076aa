/**
 * Links Stride stores and shows (a PR, a deployment, an incident) come from outside: GitHub and
 * Jira payloads and webhook senders. Only absolute `http:`/`https:` URLs are kept, stored or made
 * into links; anything else (`javascript:`, `data:`, `vbscript:`, a relative path, text with
 * leading blanks that a browser would strip before reading the scheme) is refused. Browser-safe,
 * no dependencies (the dashboard imports it as `@stride/shared/safe-url`).
 */

/** The scheme test, case-insensitive, at the very start (no leading blanks allowed). */
const HTTP_SCHEME = /^https?:\/\//i;

/**
 * True when `value` is a string holding an absolute http(s) URL that the WHATWG URL parser (the
 * browser's) also reads as http(s) with a host.
 */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || !HTTP_SCHEME.test(value)) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** `value` when it is an http(s) URL (isHttpUrl), otherwise null. */
export function httpUrlOrNull(value: unknown): string | null {
  return isHttpUrl(value) ? value : null;
}

/**
 * The scheme of a refused URL for a log line (`javascript`, `data`, or `none`), never the whole
 * value: a link can carry a token in its query, and logs must not.
 */
export function urlSchemeOf(value: unknown): string {
  if (typeof value !== 'string') return typeof value;
  // Browsers skip leading C0 controls and spaces before the scheme; so does this.
  let start = 0;
  while (start < value.length && value.charCodeAt(start) <= 0x20) start++;
  const match = /^([a-z][a-z0-9+.-]{0,30}):/i.exec(value.slice(start));
  return match ? match[1]!.toLowerCase() : 'none';
}
