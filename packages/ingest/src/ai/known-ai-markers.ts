/**
 * The identities and commit-message conventions by which coding assistants and agents mark
 * their work, as data. `stride.config.yaml` extends them (`ai.agentLogins`, `ai.markers`,
 * `ai.labels`) or replaces them (`ai.defaults: false`). Each entry names where its format is
 * documented or, where a vendor does not document it, where it is publicly seen; formats change,
 * so a missed tool is a configuration line away rather than a code change.
 *
 * Markers are matched case-insensitively with `^`/`$` at line ends, on commit messages and PR
 * descriptions. Co-author trailers match the AI identity's e-mail address (or a `[bot]` login),
 * never a bare first name: a human co-author called Claude or Cursor is not an AI marker.
 */

export type AiMarkerKind = 'co-author' | 'footer' | 'prefix' | 'link';

export interface KnownAiMarker {
  /** Stable id, stored in the evidence. */
  id: string;
  /** The tool it identifies, as shown beside the evidence. */
  tool: string;
  kind: AiMarkerKind;
  /** Source form of a case-insensitive, multiline regex. */
  pattern: string;
  /** Where the format is documented or observed. */
  source: string;
}

export interface KnownAgentLogin {
  login: string;
  tool: string;
  source: string;
}

/**
 * GitHub accounts that author PRs or commits on their own (coding agents). A PR opened by one,
 * or whose commits are all authored by them, is `agent`; a commit by one inside a human's PR, or
 * a `Co-authored-by:` trailer naming one, makes the PR `assisted`.
 */
export const KNOWN_AGENT_LOGINS: readonly KnownAgentLogin[] = [
  {
    login: 'Copilot',
    tool: 'GitHub Copilot coding agent',
    source:
      'https://docs.github.com/en/copilot/concepts/agents/coding-agent/about-coding-agent (PRs are opened by the Copilot account)',
  },
  {
    login: 'copilot-swe-agent[bot]',
    tool: 'GitHub Copilot coding agent',
    source: 'https://github.com/apps/copilot-swe-agent (the app behind the coding agent’s commits)',
  },
  {
    login: 'devin-ai-integration[bot]',
    tool: 'Devin',
    source: 'https://docs.devin.ai/integrations/gh (Devin opens PRs through its GitHub app)',
  },
  {
    login: 'cursor[bot]',
    tool: 'Cursor background agent',
    source:
      'https://docs.cursor.com/background-agent (agents push and open PRs through the Cursor GitHub app)',
  },
  {
    login: 'claude[bot]',
    tool: 'Claude Code GitHub Action',
    source: 'https://github.com/anthropics/claude-code-action (commits and PRs by the Claude GitHub app)',
  },
  {
    login: 'chatgpt-codex-connector[bot]',
    tool: 'OpenAI Codex',
    source:
      'https://developers.openai.com/codex/cloud (Codex cloud tasks push through the ChatGPT Codex Connector app)',
  },
  {
    login: 'google-labs-jules[bot]',
    tool: 'Jules (Google)',
    source: 'https://jules.google/docs (Jules publishes branches and PRs through its GitHub app)',
  },
  {
    login: 'amazon-q-developer[bot]',
    tool: 'Amazon Q Developer',
    source: 'https://docs.aws.amazon.com/amazonq/latest/qdeveloper-ug/amazon-q-developer-github.html',
  },
  {
    login: 'openhands-agent',
    tool: 'OpenHands',
    source:
      'https://docs.all-hands.dev/usage/cloud/github-installation (the resolver commits as openhands-agent)',
  },
];

/** Commit-message and PR-description conventions of AI tools. */
export const KNOWN_AI_MARKERS: readonly KnownAiMarker[] = [
  {
    id: 'claude-code-co-author',
    tool: 'Claude Code',
    kind: 'co-author',
    // "Co-Authored-By: Claude <noreply@anthropic.com>"; since v2 it names the model:
    // "Co-Authored-By: Claude Sonnet 4.5 <noreply@anthropic.com>", "Claude Opus 4.6 <...>".
    pattern: String.raw`^co-authored-by:\s*claude\b[^<\n]*<noreply@anthropic\.com>`,
    source:
      'https://docs.anthropic.com/en/docs/claude-code/settings (includeCoAuthoredBy / attribution.commit: the "Co-Authored-By: Claude" byline, default on); model-named form seen in openai/codex#14994 and umputun/ralphex#240 ("Co-Authored-By: Claude Sonnet 4.6 <noreply@anthropic.com>")',
  },
  {
    id: 'claude-code-footer',
    tool: 'Claude Code',
    kind: 'footer',
    // "🤖 Generated with [Claude Code](https://claude.ai/code)" (since v2 https://claude.com/claude-code).
    pattern: String.raw`^\W*generated with \[claude code\]\([^)\s]*\)`,
    source:
      'https://docs.anthropic.com/en/docs/claude-code/settings (the byline Claude Code adds to commits and PR descriptions); both links seen in PR descriptions, e.g. maystudios/maxsimcli#151',
  },
  {
    id: 'copilot-co-author',
    tool: 'GitHub Copilot',
    kind: 'co-author',
    // The Copilot account's noreply addresses, whatever the display name:
    // "Co-authored-by: Copilot <175728472+Copilot@users.noreply.github.com>" (a committed Copilot
    // review suggestion; "Copilot Autofix powered by AI <175728472+...>" for autofixes),
    // "Co-authored-by: copilot-swe-agent[bot] <198982749+Copilot@users.noreply.github.com>" (the
    // squash commit of a coding agent PR), "Copilot <223556219+Copilot@...>" (Copilot CLI).
    pattern: String.raw`^co-authored-by:[^<\n]*<\d+\+copilot@users\.noreply\.github\.com>`,
    source:
      'https://docs.github.com/en/pull-requests/committing-changes-to-your-project/creating-and-editing-commits/creating-a-commit-with-multiple-authors (trailer format); the addresses as seen in public commits: erigontech/erigon (175728472, a suggestion), Z3Prover/z3 squash commits (198982749, copilot-swe-agent[bot]), github/copilot-cli#975 (223556219)',
  },
  {
    id: 'cursor-co-author',
    tool: 'Cursor',
    kind: 'co-author',
    // "Co-authored-by: Cursor <cursoragent@cursor.com>" (also "Cursor Agent <cursoragent@cursor.com>").
    pattern: String.raw`^co-authored-by:[^<\n]*<cursoragent@cursor\.com>`,
    source:
      'https://docs.cursor.com/background-agent (Cursor agents commit with this co-author); the trailer as Cursor appends it (`--trailer "Co-authored-by: Cursor <cursoragent@cursor.com>"`, QSchlegel/mine-dine AGENTS.md) and in public commits (elastic/eui #9954)',
  },
  {
    id: 'cursor-made-with',
    tool: 'Cursor',
    kind: 'footer',
    // "Made-with: Cursor": a trailer recent Cursor versions add beside (or instead of) the co-author.
    pattern: String.raw`^made-with:\s*cursor\s*$`,
    source:
      'Observed, not documented by Cursor: AI-attribution detectors list the "Made-with: Cursor" trailer with the co-author one (public detector sources indexed 2026; see docs/metrics.md "AI impact")',
  },
  {
    id: 'codex-co-author',
    tool: 'OpenAI Codex',
    kind: 'co-author',
    // "Co-authored-by: Codex <noreply@openai.com>": Codex CLI's default attribution (opt-in:
    // `[features] codex_git_commit = true`, value `commit_attribution`); also "Codex <codex@openai.com>".
    pattern: String.raw`^co-authored-by:\s*codex\b[^<\n]*<[^>\n]*@openai\.com>`,
    source:
      'https://github.com/openai/codex (codex-rs commit attribution: DEFAULT_ATTRIBUTION_VALUE "Codex <noreply@openai.com>"; openai/codex#14051, #19799 on enabling it)',
  },
  {
    id: 'codex-task-link',
    tool: 'OpenAI Codex',
    kind: 'link',
    // Codex cloud writes the task link into the PR description it creates.
    pattern: String.raw`https://chatgpt\.com/codex/tasks/task_`,
    source: 'https://developers.openai.com/codex/cloud (PRs created from a Codex task link back to it)',
  },
  {
    id: 'gemini-code-assist-co-author',
    tool: 'Gemini Code Assist',
    kind: 'co-author',
    // "Co-authored-by: gemini-code-assist[bot] <176961590+gemini-code-assist[bot]@users.noreply.github.com>":
    // a suggestion from a Gemini review committed from the PR page.
    pattern: String.raw`^co-authored-by:\s*gemini-code-assist\[bot\]\s*<`,
    source:
      'https://developers.google.com/gemini-code-assist/docs/review-github-code (review suggestions; GitHub adds the co-author on "Commit suggestion")',
  },
  {
    id: 'gemini-cli-co-author',
    tool: 'Gemini CLI',
    kind: 'co-author',
    // Gemini CLI adds no trailer of its own: users have it write one, e.g.
    // "Co-Authored-By: Gemini <gemini@google.com>" / "<noreply@google.com>", or name it gemini-cli.
    pattern: String.raw`^co-authored-by:\s*(?:gemini\b[^<\n]*<[^>\n]*@google\.com>|gemini-cli\b)`,
    source:
      'https://github.com/google-gemini/gemini-cli/issues/12419 (no built-in attribution; the trailers users add: "Co-Authored-By: Gemini <gemini@google.com>", "<noreply@google.com>")',
  },
  {
    id: 'aider-prefix',
    tool: 'aider',
    kind: 'prefix',
    pattern: String.raw`^aider: `,
    source:
      'https://aider.chat/docs/git.html (--attribute-commit-message-author/-committer prefix commit messages with "aider: ")',
  },
  {
    id: 'aider-co-author',
    tool: 'aider',
    kind: 'co-author',
    // "Co-authored-by: aider (openai/gpt-4o) <noreply@aider.chat>"
    pattern: String.raw`^co-authored-by:\s*aider\b[^<\n]*<noreply@aider\.chat>`,
    source:
      'https://aider.chat/docs/git.html (--attribute-co-authored-by, added in Aider-AI/aider#3789; on by default in later versions)',
  },
  {
    id: 'openhands-co-author',
    tool: 'OpenHands',
    kind: 'co-author',
    pattern: String.raw`^co-authored-by:\s*openhands\b[^<\n]*<openhands@all-hands\.dev>`,
    source: 'https://docs.all-hands.dev (OpenHands adds itself as co-author of the commits it makes)',
  },
];

/**
 * aider's default attribution appends " (aider)" to the git author name of its commits
 * (https://aider.chat/docs/git.html, --attribute-author). Matched on the commit author's name.
 */
export const AIDER_AUTHOR_NAME = /\(aider\)\s*$/i;

/** PR labels teams commonly use to declare AI assistance (extend with `ai.labels`). */
export const KNOWN_AI_LABELS: readonly string[] = ['ai-assisted', 'ai-generated'];
