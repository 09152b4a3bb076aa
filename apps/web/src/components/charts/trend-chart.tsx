import { format, parseISO } from 'date-fns';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatTick, formatValue } from '../../lib/format.ts';

/** Okabe-Ito palette: distinguishable with colour-vision deficiencies; lines also differ by dash. */
export const seriesColors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
const dashes = ['', '6 3', '2 2', '8 3 2 3', '4 4', '1 3', '10 4'];

export interface TrendLine {
  key: string;
  label: string;
}

/**
 * Line chart of one metric over time buckets. `data` rows have `bucket` (ISO) and one value per
 * line key; `unit` formats axis and tooltip.
 */
export function TrendChart({
  data,
  lines,
  unit,
  height = 240,
  width,
  emphasizeFirst = false,
}: {
  data: Record<string, unknown>[];
  lines: TrendLine[];
  unit: 'count' | 'seconds' | 'ratio';
  height?: number;
  /** Fixed width (print); otherwise the chart fills its container. */
  width?: number;
  /** Draw the first line heavier (the organisation among teams). */
  emphasizeFirst?: boolean;
}) {
  const chart = (
    <LineChart data={data} margin={{ top: 8, right: 16, bottom: 4, left: 8 }} width={width} height={height}>
      <CartesianGrid stroke="#d9e2ec" strokeDasharray="3 3" />
      <XAxis
        dataKey="bucket"
        tickFormatter={(b: string) => format(parseISO(b), 'd MMM')}
        fontSize={13}
        stroke="#334e68"
      />
      <YAxis
        tickFormatter={(v: number) => formatTick(unit, v)}
        allowDecimals={unit !== 'count'}
        fontSize={13}
        width={64}
        stroke="#334e68"
      />
      <Tooltip
        labelFormatter={(b) => `from ${format(parseISO(String(b)), 'd MMM yyyy')}`}
        formatter={(v) => formatValue(unit, typeof v === 'number' ? v : null)}
      />
      {lines.length > 1 && <Legend />}
      {lines.map((line, i) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.label}
          type="monotone"
          stroke={seriesColors[i % seriesColors.length]}
          strokeDasharray={dashes[i % dashes.length]}
          strokeWidth={i === 0 && emphasizeFirst ? 3.5 : 2}
          dot={{ r: 2 }}
          isAnimationActive={false}
          connectNulls
        />
      ))}
    </LineChart>
  );
  if (width) return chart;
  return (
    <ResponsiveContainer width="100%" height={height}>
      {chart}
    </ResponsiveContainer>
  );
}
