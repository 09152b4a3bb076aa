import { describe, expect, it } from 'vitest';
import {
  type AiCommit,
  type AiPullRequest,
  aiCommitFromPayload,
  buildAiDetectionRules,
  classifyAiChange,
  findRevertRefs,
} from './classify-ai-change.ts';

const rules = buildAiDetectionRules();
const human: AiPullRequest = { authorLogin: 'ada', labels: [], body: null };
const commit = (message: string, extra: Partial<AiCommit> = {}): AiCommit => ({
  sha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  message,
  authorLogin: 'ada',
  authorName: 'Ada Lovelace',
  ...extra,
});
const classify = (commits: AiCommit[] | null, pr = human, r = rules) => classifyAiChange(pr, commits, r);

// Commit messages as the tools write them (see known-ai-markers.ts for the sources).
const CLAUDE_CODE = `Fix flaky retry in payment webhook handler

Retry only on 5xx and network errors; 4xx are final.

🤖 Generated with [Claude Code](https://claude.ai/code)

Co-Authored-By: Claude <noreply@anthropic.com>`;
const CLAUDE_CODE_NEW = `feat(api): paginate invoices

🤖 Generated with [Claude Code](https://claude.com/claude-code)

Co-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>`;
const COPILOT_SUGGESTION = `Update src/billing/invoice.ts

Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>`;
const CURSOR = `Add rate limiting to the export endpoint

Co-authored-by: Cursor Agent <cursoragent@cursor.com>`;
const CODEX = `Refactor config loader

Co-authored-by: Codex <codex@openai.com>`;
const GEMINI = `Update src/index.ts

Co-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>`;
const AIDER_PREFIX = 'aider: Added retry with exponential backoff to fetch_orders';
// Further real formats (sources in known-ai-markers.ts).
const CLAUDE_CODE_OPUS = `fix: guard empty cart

Co-Authored-By: Claude Opus 4.6 <noreply@anthropic.com>`;
const COPILOT_AGENT_SQUASH = `Fix Deno module resolution (#7890)

---------

Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>
Co-authored-by: NikolajBjorner <3085284+NikolajBjorner@users.noreply.github.com>`;
const COPILOT_AUTOFIX = `Potential fix for pull request finding

Co-authored-by: Copilot Autofix powered by AI <175728472+Copilot@users.noreply.github.com>`;
const COPILOT_CLI = `chore: tidy imports

Co-authored-by: Copilot <223556219+Copilot@users.noreply.github.com>`;
const CURSOR_TRAILER = `[EuiDataGrid] Fix copy/paste column alignment with control columns (#9954)

Co-authored-by: Cursor <cursoragent@cursor.com>`;
const CURSOR_MADE_WITH = `Fix pagination off-by-one

Made-with: Cursor`;
const CODEX_DEFAULT = `Refactor config loader

Co-authored-by: Codex <noreply@openai.com>`;
const GEMINI_CLI = `Add retry to uploader

Co-Authored-By: Gemini <gemini@google.com>`;
const AIDER_CO_AUTHOR = `feat: Add CSV export of invoices

Co-authored-by: aider (anthropic/claude-3-7-sonnet-20250219) <noreply@aider.chat>`;

describe('classifyAiChange: assisted by commit trailers and footers', () => {
  it.each([
    ['Claude Code (footer + co-author)', CLAUDE_CODE, 'Claude Code', 'footer'],
    ['Claude Code, newer footer and model name', CLAUDE_CODE_NEW, 'Claude Code', 'footer'],
    ['a committed Copilot suggestion', COPILOT_SUGGESTION, 'GitHub Copilot', 'co-author'],
    ['Cursor agent', CURSOR, 'Cursor', 'co-author'],
    ['Codex', CODEX, 'OpenAI Codex', 'co-author'],
    ['a committed Gemini Code Assist suggestion', GEMINI, 'Gemini Code Assist', 'co-author'],
    ['aider prefix', AIDER_PREFIX, 'aider', 'prefix'],
    ['aider co-author', AIDER_CO_AUTHOR, 'aider', 'co-author'],
    ['Claude Code naming the model', CLAUDE_CODE_OPUS, 'Claude Code', 'co-author'],
    ['the squash commit of a Copilot coding agent PR', COPILOT_AGENT_SQUASH, 'GitHub Copilot', 'co-author'],
    ['Copilot Autofix', COPILOT_AUTOFIX, 'GitHub Copilot', 'co-author'],
    ['Copilot CLI', COPILOT_CLI, 'GitHub Copilot', 'co-author'],
    ['Cursor’s own trailer', CURSOR_TRAILER, 'Cursor', 'co-author'],
    ['Cursor’s Made-with trailer', CURSOR_MADE_WITH, 'Cursor', 'footer'],
    ['Codex CLI’s default attribution', CODEX_DEFAULT, 'OpenAI Codex', 'co-author'],
    ['a Gemini CLI trailer users configure', GEMINI_CLI, 'Gemini CLI', 'co-author'],
  ])('%s', (_name, message, tool, rule) => {
    const result = classify([commit('Initial work'), commit(message, { sha: 'ffff0000aaaa' })]);
    expect(result.aiClass).toBe('assisted');
    expect(result.evidence).toContainEqual(expect.objectContaining({ tool, rule, sha: 'ffff0000aaaa' }));
  });

  it('keeps the matched line as evidence, both Claude Code markers once each', () => {
    const { evidence } = classify([commit(CLAUDE_CODE)]);
    expect(evidence.map((e) => [e.rule, e.detail])).toEqual([
      ['co-author', 'Co-Authored-By: Claude <noreply@anthropic.com>'],
      ['footer', '🤖 Generated with [Claude Code](https://claude.ai/code)'],
    ]);
  });

  it('aider’s "(aider)" author name, without storing the name', () => {
    const { aiClass, evidence } = classify([commit('Add tests', { authorName: 'Ada Lovelace (aider)' })]);
    expect(aiClass).toBe('assisted');
    expect(evidence[0]).toMatchObject({ rule: 'author-name', tool: 'aider' });
    expect(JSON.stringify(evidence)).not.toContain('Lovelace');
  });

  it('the Claude Code footer in the PR description, and a Codex task link', () => {
    expect(
      classify([commit('wip')], {
        ...human,
        body: 'Summary\n\n🤖 Generated with [Claude Code](https://claude.com/claude-code)',
      }).aiClass,
    ).toBe('assisted');
    expect(
      classify([commit('wip')], {
        ...human,
        body: 'Codex Task: https://chatgpt.com/codex/tasks/task_e_68a1b2c3',
      }).evidence[0],
    ).toMatchObject({ rule: 'link', tool: 'OpenAI Codex', sha: null });
  });

  it('a configured label, case-insensitive', () => {
    expect(classify([commit('feat')], { ...human, labels: ['AI-Assisted'] })).toMatchObject({
      aiClass: 'assisted',
      evidence: [{ rule: 'label', detail: 'AI-Assisted' }],
    });
  });
});

describe('classifyAiChange: agents', () => {
  it.each([
    'Copilot',
    'devin-ai-integration[bot]',
    'cursor[bot]',
    'claude[bot]',
    'chatgpt-codex-connector[bot]',
  ])('a PR opened by %s', (login) => {
    const { aiClass, evidence } = classify([commit('Initial plan', { authorLogin: 'ada' })], {
      ...human,
      authorLogin: login,
    });
    expect(aiClass).toBe('agent');
    expect(evidence[0]).toMatchObject({ rule: 'agent-author', detail: `PR opened by ${login}` });
  });

  it('a PR whose commits are all by copilot-swe-agent[bot] (the coding agent’s shape)', () => {
    const commits = [
      commit('Initial plan', { authorLogin: 'copilot-swe-agent[bot]', authorName: 'copilot-swe-agent[bot]' }),
      commit(
        `Add input validation to signup form\n\nCo-authored-by: ada <12345+ada@users.noreply.github.com>`,
        {
          sha: 'b2',
          authorLogin: 'copilot-swe-agent[bot]',
        },
      ),
    ];
    expect(classify(commits).aiClass).toBe('agent');
  });

  it('one agent commit in a person’s PR is assisted, not agent', () => {
    const commits = [commit('feat: start'), commit('fix lint', { sha: 'c3', authorLogin: 'Copilot' })];
    expect(classify(commits)).toMatchObject({
      aiClass: 'assisted',
      evidence: [{ rule: 'agent-commit', sha: 'c3' }],
    });
  });

  it('a Co-authored-by trailer naming an agent account', () => {
    const message =
      'Apply review\n\nCo-authored-by: claude[bot] <209825114+claude[bot]@users.noreply.github.com>';
    expect(classify([commit(message)]).aiClass).toBe('assisted');
  });
});

describe('classifyAiChange: false friends stay none', () => {
  it.each([
    [
      'a human co-author named Claude',
      'Pair on checkout\n\nCo-authored-by: Claude Dupont <claude.dupont@acme.example>',
    ],
    ['a human co-author named Cursor', 'Fix\n\nCo-authored-by: Cursor Smith <cursor@smith.example>'],
    ['a human co-author named Gemini', 'Fix\n\nCo-authored-by: Gemini Rossi <gemini.rossi@gmail.com>'],
    [
      'prose mentioning the tools',
      'docs: how we use Claude Code and Copilot in reviews\n\nGenerated with care by the platform team.',
    ],
    ['"aider" inside a sentence', 'Fix the raider: cleanup of expired sessions'],
    [
      'a human Claude with an Anthropic-like but personal address',
      'Pair on billing\n\nCo-authored-by: Claude Shannon <claude@anthropic.example>',
    ],
    [
      'Cursor named in prose, not as a trailer',
      'docs: made with Cursor and patience\n\nSee Made-with: Cursor docs.',
    ],
    [
      'a human Codex (surname) at another domain',
      'Fix\n\nCo-authored-by: Codex Ionescu <codex@ionescu.example>',
    ],
    ['a human named Gemini at Google', 'Fix\n\nCo-authored-by: Geminiano Rossi <g.rossi@gmail.com>'],
    [
      'a quoted footer not at the start of a line',
      'Strip the "Generated with [Claude Code](https://claude.ai/code)" footer from changelogs',
    ],
  ])('%s', (_name, message) => {
    expect(classify([commit(message)])).toEqual({ aiClass: 'none', evidence: [] });
  });

  it('a person whose login is claude (no [bot]) opening a PR', () => {
    expect(
      classify([commit('feat', { authorLogin: 'claude' })], { ...human, authorLogin: 'claude' }).aiClass,
    ).toBe('none');
  });

  it('dependabot is a bot but not a coding agent', () => {
    expect(
      classify([commit('Bump vite from 5.0.0 to 5.0.1', { authorLogin: 'dependabot[bot]' })], {
        ...human,
        authorLogin: 'dependabot[bot]',
      }).aiClass,
    ).toBe('none');
  });
});

describe('classifyAiChange: unknown commits and configuration', () => {
  it('without commits (a webhook) the PR-level signs classify, otherwise unknown (null), never none', () => {
    expect(classify(null).aiClass).toBeNull();
    expect(classify([]).aiClass).toBeNull();
    expect(classify(null, { ...human, authorLogin: 'Copilot' }).aiClass).toBe('agent');
    expect(classify(null, { ...human, labels: ['ai-generated'] }).aiClass).toBe('assisted');
  });

  it('configured markers, labels and agent logins extend the built-in lists', () => {
    const configured = buildAiDetectionRules({
      defaults: true,
      agentLogins: ['acme-agent[bot]'],
      markers: ['^Assisted-by: acme-llm'],
      labels: ['llm'],
    });
    expect(
      classify([commit('feat\n\nAssisted-by: acme-llm v2')], human, configured).evidence[0],
    ).toMatchObject({
      rule: 'marker',
      tool: 'configured marker',
      detail: 'Assisted-by: acme-llm v2',
    });
    expect(classify([commit('x')], { ...human, authorLogin: 'ACME-agent[bot]' }, configured).aiClass).toBe(
      'agent',
    );
    expect(classify([commit('x')], { ...human, labels: ['LLM'] }, configured).aiClass).toBe('assisted');
    expect(classify([commit(CLAUDE_CODE)], human, configured).aiClass).toBe('assisted');
  });

  it('defaults: false drops the built-in lists', () => {
    const only = buildAiDetectionRules({
      defaults: false,
      agentLogins: [],
      markers: ['^Assisted-by:'],
      labels: [],
    });
    expect(classify([commit(CLAUDE_CODE)], human, only).aiClass).toBe('none');
    expect(classify([commit('x')], { ...human, authorLogin: 'Copilot' }, only).aiClass).toBe('none');
  });
});

describe('aiCommitFromPayload', () => {
  it('reads sha, message, login and author name of a PR commit payload', () => {
    const payload = {
      sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      commit: {
        author: { name: 'Monalisa Octocat', email: 'support@github.com', date: '2011-04-14T16:00:49Z' },
        committer: { name: 'Monalisa Octocat', email: 'support@github.com', date: '2011-04-14T16:00:49Z' },
        message: 'Fix all the bugs',
      },
      author: { login: 'octocat', type: 'User' },
    };
    expect(aiCommitFromPayload(payload)).toEqual({
      sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e',
      message: 'Fix all the bugs',
      authorLogin: 'octocat',
      authorName: 'Monalisa Octocat',
    });
    expect(aiCommitFromPayload({ sha: 'nothex' })).toBeNull();
  });
});

describe('findRevertRefs', () => {
  it('reads git revert bodies and GitHub revert-button bodies', () => {
    expect(
      findRevertRefs([
        'Reverts acme/checkout#412',
        'Revert "Add retries"\n\nThis reverts commit 1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7E8F9A0B.',
      ]),
    ).toEqual(['#412', '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b']);
    expect(findRevertRefs(['Mentions #12 and reverts nothing', null])).toEqual([]);
  });
});
