import type { SeriesPoint } from '@stride/shared';

/**
 * A tiny trend line of a metric's series (no axes), drawn as plain SVG: the overview has five
 * per team (250 for 50 teams), too many for a charting library's instances. Straight segments
 * between buckets with a value; a bucket without one breaks the line (never interpolated).
 */
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
  const values = series.map((p) => p.value).filter((v): v is number => v !== null);
  if (values.length < 2) return <span className="sparkline-empty">not enough data</span>;
  const pad = 3;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const x = (i: number) => pad + (series.length === 1 ? 0 : (i * (width - 2 * pad)) / (series.length - 1));
  // A flat series sits in the middle.
  const y = (v: number) => (max === min ? height / 2 : pad + ((max - v) * (height - 2 * pad)) / (max - min));
  const runs: string[][] = [[]];
  series.forEach((p, i) => {
    if (p.value === null) {
      if (runs.at(-1)!.length > 0) runs.push([]);
    } else runs.at(-1)!.push(`${x(i).toFixed(1)},${y(p.value).toFixed(1)}`);
  });
  return (
    <span className="sparkline" role="img" aria-label={`${label} trend`}>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} aria-hidden="true">
        {runs.map((points) =>
          points.length === 1 ? (
            <circle
              key={points[0]}
              cx={points[0]!.split(',')[0]}
              cy={points[0]!.split(',')[1]}
              r={1.5}
              fill="#334e68"
            />
          ) : points.length > 1 ? (
            <polyline
              key={points[0]}
              points={points.join(' ')}
              fill="none"
              stroke="#334e68"
              strokeWidth={1.5}
            />
          ) : null,
        )}
      </svg>
    </span>
  );
}
