// AI impact comparisons (packages/metrics `compareAiGroups`): one AI-assisted vs other comparison
// with its 95 % bootstrap intervals (1,000 resamples, every figure and PR-size band), by the
// number of changes compared. The org answer of GET /api/ai-impact costs one of these for the
// org plus two per team (AI vs other, before vs after). The ratio column is time per change
// relative to the smallest size: near 1 means the cost grows linearly with the changes.
import { type AiChangeSample, compareAiGroups, mulberry32 } from '@stride/metrics';

const random = mulberry32(3);
const changes = (n: number, aiClass: 'assisted' | 'none'): AiChangeSample[] =>
  Array.from({ length: n }, () => ({
    mergedAt: new Date(Date.UTC(2026, 0, 1)),
    aiClass,
    codingSeconds: random() * 100_000,
    pickupSeconds: random() * 10_000,
    reviewSeconds: random() * 100_000,
    deploySeconds: random() < 0.8 ? random() * 10_000 : null,
    size: Math.round(random() * 800),
    changesRequested: random() < 0.2 ? 1 : 0,
    reverted: random() < 0.02,
    failedDeployment: random() < 0.1,
  }));

let base = 0;
console.log('changes compared | ms per comparison | µs per change | ratio');
for (const n of [500, 2_000, 5_000, 20_000]) {
  const group = changes(Math.round(n * 0.4), 'assisted');
  const baseline = changes(n - group.length, 'none');
  const started = performance.now();
  compareAiGroups(group, baseline, { minSamples: 10 });
  const ms = performance.now() - started;
  const perChange = (ms * 1000) / n;
  if (base === 0) base = perChange;
  console.log(`${n} | ${ms.toFixed(0)} | ${perChange.toFixed(1)} | ${(perChange / base).toFixed(2)}`);
}
