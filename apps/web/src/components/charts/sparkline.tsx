import type { SeriesPoint } from '@stride/shared';
import { Line, LineChart, YAxis } from 'recharts';

/** A tiny trend line of a metric's series (no axes); gaps where a bucket has no value. */
export function Sparkline({
  series,
  label,
  width = 110,
  height = 32,
}: {
  series: readonly SeriesPoint[];
  label: string;
  width?: number;
  height?: number;
}) {
  if (series.filter((p) => p.value !== null).length < 2) {
    return <span className="sparkline-empty">not enough data</span>;
  }
  return (
    <span className="sparkline" role="img" aria-label={`${label} trend`}>
      <LineChart
        width={width}
        height={height}
        data={[...series]}
        margin={{ top: 3, right: 2, bottom: 3, left: 2 }}
      >
        <YAxis hide domain={['auto', 'auto']} />
        <Line
          type="linear"
          dataKey="value"
          stroke="#334e68"
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
      </LineChart>
    </span>
  );
}
