import type { DoraSummary } from '@stride/shared';
import { levelInfo } from '../../lib/format.ts';

/** The chosen DORA report year's cluster table, a reference beside the levels (docs/metrics.md). */
export function BenchmarkStrip({ reference, year }: { reference: DoraSummary['reference']; year: number }) {
  return (
    <details className="benchmark-strip">
      <summary>DORA {year} report clusters (reference)</summary>
      <table>
        <thead>
          <tr>
            <th scope="col">Cluster (share)</th>
            <th scope="col">Deployment frequency</th>
            <th scope="col">Lead time</th>
            <th scope="col">Change failure rate</th>
            <th scope="col">Recovery time</th>
          </tr>
        </thead>
        <tbody>
          {reference.clusters.map((c) => (
            <tr key={c.cluster}>
              <th scope="row">
                {levelInfo[c.cluster].icon} {levelInfo[c.cluster].label} ({Math.round(c.share * 100)} %)
              </th>
              <td>{c.deploymentFrequency}</td>
              <td>{c.leadTime}</td>
              <td>{c.changeFailureRate}</td>
              <td>{c.recoveryTime}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted">Source: {reference.source}</p>
    </details>
  );
}
