import type { BenchmarkYear, PerformanceLevel } from './performance-levels.ts';

/** One cluster of a DORA report, as the report gives it (a reference strip, not a level rule). */
export interface BenchmarkCluster {
  year: BenchmarkYear;
  cluster: PerformanceLevel;
  /** Share of respondents, ratio 0..1. */
  share: number;
  deploymentFrequency: string;
  leadTime: string;
  changeFailureRate: string;
  recoveryTime: string;
}

export const BENCHMARK_SOURCES: Record<BenchmarkYear, string> = {
  2023: 'DORA, Accelerate State of DevOps Report 2023 (dora.dev/research/2023/dora-report)',
  2024: 'DORA, Accelerate State of DevOps Report 2024 (dora.dev/research/2024/dora-report)',
};

/** The clusters of docs/metrics.md, verbatim. */
export const BENCHMARK_CLUSTERS: readonly BenchmarkCluster[] = [
  {
    year: 2024,
    cluster: 'elite',
    share: 0.19,
    deploymentFrequency: 'on demand',
    leadTime: '< 1 day',
    changeFailureRate: '5 %',
    recoveryTime: '< 1 hour',
  },
  {
    year: 2024,
    cluster: 'high',
    share: 0.22,
    deploymentFrequency: 'daily to weekly',
    leadTime: '1 day - 1 week',
    changeFailureRate: '20 %',
    recoveryTime: '< 1 day',
  },
  {
    year: 2024,
    cluster: 'medium',
    share: 0.35,
    deploymentFrequency: 'weekly to monthly',
    leadTime: '1 week - 1 month',
    changeFailureRate: '10 %',
    recoveryTime: '< 1 day',
  },
  {
    year: 2024,
    cluster: 'low',
    share: 0.25,
    deploymentFrequency: 'monthly to every 6 months',
    leadTime: '1 - 6 months',
    changeFailureRate: '40 %',
    recoveryTime: '1 week - 1 month',
  },
  {
    year: 2023,
    cluster: 'elite',
    share: 0.18,
    deploymentFrequency: 'on demand',
    leadTime: '< 1 day',
    changeFailureRate: '5 %',
    recoveryTime: '< 1 hour',
  },
  {
    year: 2023,
    cluster: 'high',
    share: 0.31,
    deploymentFrequency: 'daily to weekly',
    leadTime: '1 day - 1 week',
    changeFailureRate: '10 %',
    recoveryTime: '< 1 day',
  },
  {
    year: 2023,
    cluster: 'medium',
    share: 0.33,
    deploymentFrequency: 'weekly to monthly',
    leadTime: '1 week - 1 month',
    changeFailureRate: '15 %',
    recoveryTime: '1 day - 1 week',
  },
  {
    year: 2023,
    cluster: 'low',
    share: 0.17,
    deploymentFrequency: 'weekly to monthly',
    leadTime: '1 week - 1 month',
    changeFailureRate: '64 %',
    recoveryTime: '1 - 6 months',
  },
];

/** The chosen report year's clusters with their source. */
export function benchmarkReference(year: BenchmarkYear): { source: string; clusters: BenchmarkCluster[] } {
  return { source: BENCHMARK_SOURCES[year], clusters: BENCHMARK_CLUSTERS.filter((c) => c.year === year) };
}
