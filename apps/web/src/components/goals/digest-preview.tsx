import { useState } from 'react';
import { useDigestPreview } from '../../queries/use-digest-preview.ts';
import { QueryState } from '../metrics/query-state.tsx';

/**
 * The team's pre-retro digest (or, without `team`, the weekly org digest) as Slack and e-mail get
 * it (plain-text part), loaded when opened: what changed since the last retro (or week), goals,
 * broken agreements, stuck PRs, the dashboard link.
 */
export function DigestPreview({ team }: { team?: string }) {
  const [open, setOpen] = useState(false);
  const preview = useDigestPreview(team, open);
  return (
    <details className="digest-preview no-print" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        {team === undefined ? 'Preview of the weekly org digest' : 'Preview of the pre-retro digest'}
      </summary>
      {open && (
        <QueryState query={preview}>
          {(data) => (
            <pre data-testid="digest-preview" className="digest-text">
              {data.text}
            </pre>
          )}
        </QueryState>
      )}
    </details>
  );
}
