import { describe, expect, it } from 'vitest';
import { reviewBins } from './review-load-chart.tsx';

describe('reviewBins', () => {
  it('gives one bin per count for small counts', () => {
    expect(reviewBins([3, 1, 0]).map((b) => b.label)).toEqual(['0', '1', '2', '3']);
    expect(reviewBins([]).map((b) => b.label)).toEqual(['0']);
  });
  it('splits larger counts into 0 and five ranges up to the largest, covering every count once', () => {
    const counts = [61, 53, 48, 40, 0];
    const bins = reviewBins(counts);
    expect(bins.map((b) => b.label)).toEqual(['0', '1–13', '14–26', '27–39', '40–52', '53–61']);
    for (const c of counts) expect(bins.filter((b) => c >= b.min && c <= b.max)).toHaveLength(1);
  });
});
