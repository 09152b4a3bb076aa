import { describe, expect, it } from 'vitest';
import {
  aggregateCopilotUsageReports,
  copilotUserReportRowSchema,
  copilotUserTeamRowSchema,
  parseCopilotReportNdjson,
} from './copilot-usage-reports.ts';

// GitHub's "team level metrics" recipe: join user-teams to per-user rows on the user, sum by team.
describe('aggregateCopilotUsageReports', () => {
  const users = parseCopilotReportNdjson(
    [
      '{"user_id":1,"user_login":"ana","day":"2026-01-05","code_generation_activity_count":10,"code_acceptance_activity_count":3,"loc_suggested_to_add_sum":30,"loc_added_sum":6,"user_initiated_interaction_count":0,"used_chat":false}',
      '',
      '{"user_id":2,"user_login":"bo","day":"2026-01-05","code_generation_activity_count":0,"code_acceptance_activity_count":0,"user_initiated_interaction_count":4,"used_chat":true}',
      'not json',
      '{"user_id":3,"user_login":"cy","day":"2026-01-05","code_generation_activity_count":5,"code_acceptance_activity_count":1,"loc_suggested_to_add_sum":9,"loc_added_sum":2}',
    ].join('\n'),
    copilotUserReportRowSchema,
  );
  const userTeams = parseCopilotReportNdjson(
    [
      '{"user_id":1,"user_login":"ana","day":"2026-01-05","team_id":7,"slug":"web"}',
      '{"user_id":1,"user_login":"ana","day":"2026-01-05","team_id":8,"slug":"api"}',
      '{"user_id":2,"user_login":"bo","day":"2026-01-05","team_id":8,"slug":"api"}',
      '{"user_id":4,"user_login":"di","day":"2026-01-05","team_id":9,"slug":"ops"}',
      '{"user_id":3,"user_login":"cy","day":"2026-01-05","team_id":10,"slug":"other"}',
    ].join('\n'),
    copilotUserTeamRowSchema,
  );

  it('counts a member of two teams in both, keeps teams without usage, and only the configured teams', () => {
    expect(users.skipped).toBe(1);
    const rows = aggregateCopilotUsageReports({
      org: 'acme',
      day: '2026-01-05',
      users: users.rows,
      userTeams: userTeams.rows,
      organization: { daily_active_users: 3 },
      githubTeams: new Set(['web', 'api', 'ops']),
    });
    const by = Object.fromEntries(rows.map((r) => [r.github_team, r]));
    expect(rows.map((r) => r.github_team)).toEqual(['', 'api', 'ops', 'web']);
    expect(by['']).toMatchObject({
      total_active_users: 3,
      total_engaged_users: 3,
      completions_engaged_users: 2,
      chat_engaged_users: 1,
      code_suggestions: 15,
      code_acceptances: 4,
      code_lines_suggested: 39,
      code_lines_accepted: 8,
    });
    expect(by.api).toMatchObject({ total_active_users: 2, code_suggestions: 10, chat_engaged_users: 1 });
    expect(by.web).toMatchObject({ total_active_users: 1, code_suggestions: 10, code_acceptances: 3 });
    expect(by.ops).toMatchObject({ total_active_users: 0, code_suggestions: 0 });
    // No per-person field survives the aggregation.
    expect(JSON.stringify(rows)).not.toMatch(/ana|"bo"|cy|user_id/);
  });
});
