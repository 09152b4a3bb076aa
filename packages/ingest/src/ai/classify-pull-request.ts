import type { AiConfig } from '@stride/shared/config';
import {
  type AiCommit,
  type AiDetectionRules,
  aiCommitFromPayload,
  buildAiDetectionRules,
  classifyAiChange,
  findRevertRefs,
} from './classify-ai-change.ts';

const rulesByConfig = new WeakMap<object, AiDetectionRules>();
const DEFAULT_RULES = buildAiDetectionRules();

/** The detection rules of a config's `ai` section (built once per config object). */
export function aiDetectionRulesFor(ai: AiConfig | undefined): AiDetectionRules {
  if (!ai) return DEFAULT_RULES;
  let rules = rulesByConfig.get(ai);
  if (!rules) {
    rules = buildAiDetectionRules(ai);
    rulesByConfig.set(ai, rules);
  }
  return rules;
}

/** The AI and revert columns of a `pull_requests` row. */
export interface PullRequestAiColumns {
  ai_class: 'agent' | 'assisted' | 'none' | null;
  ai_evidence: string;
  revert_refs: string[];
}

interface PullRequestFields {
  user?: { login?: unknown } | null;
  labels?: unknown;
  body?: unknown;
  title?: unknown;
}

/**
 * The AI classification and revert refs of a PR from its payload (list, detail or webhook shape)
 * and, when known, its commit payloads (`GET /pulls/{n}/commits`; null when not fetched). Commit
 * payloads that cannot be read are left out. Pure.
 */
export function classifyPullRequestPayload(
  payload: unknown,
  commitPayloads: readonly unknown[] | null,
  rules: AiDetectionRules = DEFAULT_RULES,
): PullRequestAiColumns {
  const pr = (typeof payload === 'object' && payload !== null ? payload : {}) as PullRequestFields;
  const labels = Array.isArray(pr.labels)
    ? pr.labels
        .map((l: unknown) => (typeof l === 'string' ? l : (l as { name?: unknown })?.name))
        .filter((l): l is string => typeof l === 'string')
    : [];
  const body = typeof pr.body === 'string' ? pr.body : null;
  const commits =
    commitPayloads === null
      ? null
      : commitPayloads.map(aiCommitFromPayload).filter((c): c is AiCommit => c !== null);
  const { aiClass, evidence } = classifyAiChange(
    { authorLogin: typeof pr.user?.login === 'string' ? pr.user.login : null, labels, body },
    commits,
    rules,
  );
  return {
    ai_class: aiClass,
    ai_evidence: JSON.stringify(evidence),
    revert_refs: findRevertRefs([body, ...(commits ?? []).map((c) => c.message)]),
  };
}
