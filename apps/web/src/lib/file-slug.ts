/** Makes a file-name-safe slug from words, e.g. `Change lead time` → `change-lead-time`. */
export function fileSlug(...parts: string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
