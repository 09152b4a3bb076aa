import { describe, expect, it } from 'vitest';
import { copilotRefusalNote } from './sync-copilot-metrics.ts';

// GitHub sunset the legacy Copilot Metrics API on 2026-04-02: a retired endpoint's 410 Gone is a
// sync-status note naming the retirement, like the documented refusals, not a failed sync.
describe('copilotRefusalNote', () => {
  const org = { org: 'acme', githubTeam: '' };
  it('names the retirement for a 410 Gone, for the organisation and for a team', () => {
    expect(copilotRefusalNote({ status: 410, message: 'Gone' }, org)).toMatch(
      /^Copilot metrics not collected for organisation acme: GitHub answered 410 Gone: GitHub retired the Copilot Metrics API on 2026-04-02/,
    );
    expect(copilotRefusalNote({ status: 410 }, { org: 'acme', githubTeam: 'payments' })).toMatch(
      /GitHub team acme\/payments: GitHub answered 410 Gone/,
    );
  });
  it('keeps the documented refusals as notes and anything else an error', () => {
    expect(copilotRefusalNote({ status: 404 }, org)).toMatch(/404 Not Found/);
    expect(copilotRefusalNote({ status: 422 }, org)).toMatch(/422/);
    expect(copilotRefusalNote({ status: 500 }, org)).toBeNull();
    expect(
      copilotRefusalNote({ status: 403, response: { headers: { 'x-ratelimit-remaining': '0' } } }, org),
    ).toBeNull();
  });
});
