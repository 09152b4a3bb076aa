import { isHttpUrl } from '@stride/shared/safe-url';
import type { ReactNode } from 'react';

/**
 * A link to the system a row came from (GitHub, Jira, a CI run), opening in a new tab. Renders
 * `children` as plain text when `url` is missing or not an http(s) URL (`isHttpUrl`), so stored
 * data can never become a `javascript:` or `data:` link. Every external link of the dashboard
 * goes through here.
 */
export function ExternalLink({
  url,
  site,
  children,
}: {
  url: string | null | undefined;
  /** Name of the target system, for the tooltip and screen readers (`GitHub`, `Jira`). */
  site: string;
  children: ReactNode;
}) {
  if (!isHttpUrl(url)) return <>{children}</>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer" title={`Open in ${site}`}>
      {children} <span aria-hidden="true">↗</span>
      <span className="sr-only"> (opens {site})</span>
    </a>
  );
}
