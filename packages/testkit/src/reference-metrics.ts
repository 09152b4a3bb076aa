// Test-only reference implementation: recomputes the figures of docs/metrics.md in plain
// TypeScript from a generated organisation's rows, independently of the SQL under test.

import { percentileCont } from '@stride/metrics';
import type { OrgModelData } from './adapters/model-data.ts';
import type { ModelDeployment, ModelIncident, ModelPullRequest } from './model/org-model-types.ts';

type GeneratedDeployment = ModelDeployment;
type GeneratedIncident = ModelIncident;
type GeneratedOrg = OrgModelData;
type GeneratedPullRequest = ModelPullRequest;

export type RefScope =
  | { type: 'org' }
  | { type: 'team'; slug: string }
  | { type: 'repository'; name: string };

const day = (d: Date) => d.toISOString().slice(0, 10);
const inRange = (d: Date | null, from: Date, to: Date) => d !== null && d >= from && d < to;
export const stats = (values: number[]) => ({
  p50: percentileCont(values, 0.5),
  p90: percentileCont(values, 0.9),
  n: values.length,
});

export class ReferenceOrg {
  readonly prod: GeneratedDeployment[];
  readonly deploymentOf = new Map<string, GeneratedDeployment>();
  readonly causeOf = new Map<string, GeneratedDeployment>();

  constructor(readonly org: GeneratedOrg) {
    this.prod = org.deployments
      .filter((d) => d.isProduction && d.deployedAt !== null)
      .sort((a, b) => a.deployedAt!.getTime() - b.deployedAt!.getTime());
    for (const pr of this.changes(true)) {
      const d = this.prod.find((x) => x.repository === pr.repository && x.deployedAt! >= pr.mergedAt!);
      if (d) this.deploymentOf.set(pr.externalId, d);
    }
    for (const incident of org.incidents) {
      const repos = incident.repository
        ? [incident.repository]
        : (org.teams.find((t) => t.jiraProjects.includes(incident.jiraProject ?? ''))?.repositories ?? []);
      const windowStart = incident.startedAt.getTime() - 7 * 86_400_000;
      const candidates = this.prod.filter(
        (d) =>
          repos.includes(d.repository) &&
          d.deployedAt! < incident.startedAt &&
          d.deployedAt!.getTime() >= windowStart,
      );
      const cause = candidates.at(-1);
      if (cause) this.causeOf.set(incident.externalId, cause);
    }
  }

  team(slug: string) {
    return this.org.teams.find((t) => t.slug === slug)!;
  }

  isMember(slug: string, login: string, at: Date): boolean {
    const date = day(at);
    return this.team(slug).members.some(
      (m) =>
        m.github?.toLowerCase() === login.toLowerCase() &&
        date >= (m.from ?? '1970-01-01') &&
        (m.to === undefined || date <= m.to),
    );
  }

  /** Merged into the default branch; bots included when `withBots`. */
  changes(withBots = false): GeneratedPullRequest[] {
    return this.org.pullRequests.filter(
      (p) => p.mergedAt !== null && p.baseBranch === 'main' && (withBots || !p.authorIsBot),
    );
  }

  firstCommit(pr: GeneratedPullRequest): Date | null {
    if (pr.commits.length === 0) return null;
    return new Date(Math.min(...pr.commits.map((c) => c.authoredAt.getTime())));
  }

  deploymentInScope(d: GeneratedDeployment, scope: RefScope) {
    if (scope.type === 'team') return this.team(scope.slug).repositories.includes(d.repository);
    if (scope.type === 'repository') return d.repository === scope.name;
    return true;
  }

  changeInScope(pr: GeneratedPullRequest, scope: RefScope) {
    if (scope.type === 'team') return this.isMember(scope.slug, pr.author, pr.mergedAt!);
    if (scope.type === 'repository') return pr.repository === scope.name;
    return true;
  }

  incidentTeam(i: GeneratedIncident): string | undefined {
    if (i.repository) return this.org.teams.find((t) => t.repositories.includes(i.repository!))?.slug;
    return this.org.teams.find((t) => t.jiraProjects.includes(i.jiraProject ?? ''))?.slug;
  }

  incidentInScope(i: GeneratedIncident, scope: RefScope) {
    if (scope.type === 'team') return this.incidentTeam(i) === scope.slug;
    if (scope.type === 'repository') return i.repository === scope.name;
    return true;
  }

  failed(d: GeneratedDeployment) {
    return d.rolledBack || this.org.incidents.some((i) => this.causeOf.get(i.externalId) === d);
  }

  unplanned(d: GeneratedDeployment) {
    return this.changes(true).some((p) => p.isUnplanned && this.deploymentOf.get(p.externalId) === d);
  }

  dora(scope: RefScope, from: Date, to: Date) {
    const deployments = this.prod.filter(
      (d) => inRange(d.deployedAt, from, to) && this.deploymentInScope(d, scope),
    );
    const leadChanges = this.changes().filter((p) => {
      const d = this.deploymentOf.get(p.externalId);
      return d && inRange(d.deployedAt, from, to) && this.firstCommit(p) && this.changeInScope(p, scope);
    });
    const lead = leadChanges.map(
      (p) =>
        (this.deploymentOf.get(p.externalId)!.deployedAt!.getTime() - this.firstCommit(p)!.getTime()) / 1000,
    );
    const recovered = this.org.incidents.filter(
      (i) =>
        this.causeOf.has(i.externalId) && inRange(i.resolvedAt, from, to) && this.incidentInScope(i, scope),
    );
    return {
      deployments: deployments.length,
      deploymentDays: new Set(deployments.map((d) => day(d.deployedAt!))).size,
      failed: deployments.filter((d) => this.failed(d)).length,
      unplanned: deployments.filter((d) => this.unplanned(d)).length,
      leadTime: stats(lead),
      leadChanges: leadChanges.map((p) => p.externalId),
      recovery: stats(recovered.map((i) => (i.resolvedAt!.getTime() - i.startedAt.getTime()) / 1000)),
      deploymentDates: [...new Set(deployments.map((d) => day(d.deployedAt!)))],
    };
  }
}
