import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { durationTicks, formatTick, formatValue } from '../../lib/format.ts';
import { seriesColors } from './trend-chart.tsx';

export interface BarSeries {
  key: string;
  label: string;
  color?: string;
}

/**
 * Bar chart (stacked when `stacked`), horizontal categories on the X axis unless `vertical`.
 * Values formatted by `unit`; each bar series has its own colour and a legend entry.
 */
export function BarsChart({
  data,
  categoryKey,
  bars,
  unit,
  stacked = false,
  vertical = false,
  height = 240,
  categoryWidth = 150,
}: {
  data: Record<string, unknown>[];
  categoryKey: string;
  bars: BarSeries[];
  unit: 'count' | 'seconds' | 'ratio';
  stacked?: boolean;
  vertical?: boolean;
  height?: number;
  /** Width in px of the category axis when `vertical` (fit the longest label, never clip). */
  categoryWidth?: number;
}) {
  const fmt = (v: number) => formatTick(unit, v);
  const sums = data.map((row) => bars.map((b) => Number(row[b.key]) || 0));
  const max = Math.max(
    0,
    ...sums.map((values) => (stacked ? values.reduce((a, b) => a + b, 0) : Math.max(...values))),
  );
  const ticks = unit === 'seconds' ? durationTicks(max) : undefined;
  const domain = ticks ? [0, ticks.at(-1)!] : undefined;
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={data}
        layout={vertical ? 'vertical' : 'horizontal'}
        margin={{ top: 8, right: 16, bottom: 4, left: 8 }}
      >
        <CartesianGrid stroke="#d9e2ec" strokeDasharray="3 3" />
        {vertical ? (
          <>
            <XAxis
              type="number"
              tickFormatter={fmt}
              allowDecimals={unit !== 'count'}
              ticks={ticks}
              domain={domain}
              fontSize={13}
              stroke="#334e68"
            />
            <YAxis
              type="category"
              dataKey={categoryKey}
              width={categoryWidth}
              fontSize={13}
              stroke="#334e68"
            />
          </>
        ) : (
          <>
            <XAxis dataKey={categoryKey} fontSize={13} stroke="#334e68" />
            <YAxis
              tickFormatter={fmt}
              allowDecimals={unit !== 'count'}
              ticks={ticks}
              domain={domain}
              width={64}
              fontSize={13}
              stroke="#334e68"
            />
          </>
        )}
        <Tooltip formatter={(v) => formatValue(unit, typeof v === 'number' ? v : null)} />
        {bars.length > 1 && <Legend />}
        {bars.map((bar, i) => (
          <Bar
            key={bar.key}
            dataKey={bar.key}
            name={bar.label}
            fill={bar.color ?? seriesColors[i % seriesColors.length]}
            stackId={stacked ? 'stack' : undefined}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
