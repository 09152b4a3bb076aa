import type { JiraClassification } from '@stride/db';

/** The `jira` section of stride.config.yaml that decides what an issue is. */
export interface JiraClassificationRules {
  incidentTypes: readonly string[];
  incidentLabels: readonly string[];
  bugTypes: readonly string[];
}

/** An issue type as `GET /rest/api/3/issuetype` lists it (the same id may appear in several languages). */
export interface JiraIssueTypeInfo {
  id: string;
  name?: string;
  untranslatedName?: string;
}

/**
 * Builds a classifier of issues (docs/metrics.md: "Incident", "Unplanned work ratio"): an issue is an
 * `incident` when its type or one of its labels is configured as incident, a `bug` when its type is
 * configured as bug, otherwise `planned`. Types match by id, or case-insensitively by any of their
 * names (localised `name` or `untranslatedName`, from the site's issue type list), so `Bug` in the
 * config also matches an EE issue typed `缺陷` (id 10004, untranslatedName Bug).
 */
export function createJiraClassifier(
  rules: JiraClassificationRules,
  issueTypes: readonly JiraIssueTypeInfo[],
): (issue: { typeId: string; typeName: string; labels: readonly string[] }) => JiraClassification {
  const namesById = new Map<string, Set<string>>();
  for (const type of issueTypes) {
    const names = namesById.get(type.id) ?? new Set<string>();
    for (const name of [type.name, type.untranslatedName]) if (name) names.add(name.toLowerCase());
    namesById.set(type.id, names);
  }
  const lower = (values: readonly string[]) => new Set(values.map((v) => v.toLowerCase()));
  const incidentTypes = lower(rules.incidentTypes);
  const bugTypes = lower(rules.bugTypes);
  const incidentLabels = lower(rules.incidentLabels);

  const typeMatches = (configured: Set<string>, typeId: string, typeName: string) => {
    if (configured.has(typeId.toLowerCase()) || configured.has(typeName.toLowerCase())) return true;
    for (const name of namesById.get(typeId) ?? []) if (configured.has(name)) return true;
    return false;
  };

  return ({ typeId, typeName, labels }) => {
    if (typeMatches(incidentTypes, typeId, typeName)) return 'incident';
    if (labels.some((label) => incidentLabels.has(label.toLowerCase()))) return 'incident';
    if (typeMatches(bugTypes, typeId, typeName)) return 'bug';
    return 'planned';
  };
}
