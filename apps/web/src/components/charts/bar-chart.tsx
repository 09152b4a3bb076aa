import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { durationTicks, formatDurationTickIn, formatTick, formatValue } from '../../lib/format.ts';
import { seriesColors, valueAxisTitle } from './trend-chart.tsx';

export interface BarSeries {
  key: string;
  label: string;
  color?: string;
}

/**
 * Bar chart (stacked when `stacked`), horizontal categories on the X axis unless `vertical`.
 * Values formatted by `unit`; each bar series has its own colour and a legend entry. Both axes
 * are titled: `valueTitle` gets its unit added (`(hours)`, `(%)`, see valueAxisTitle).
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
  valueTitle,
  categoryTitle,
  targets = [],
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
  /** What the values measure, without the unit, e.g. `Time per phase`. */
  valueTitle: string;
  /** What the categories are, e.g. `Repository`. */
  categoryTitle: string;
  /** Goal targets drawn as dashed lines across the values axis, in the chart's unit. */
  targets?: readonly { value: number; label: string; color?: string }[];
}) {
  const sums = data.map((row) => bars.map((b) => Number(row[b.key]) || 0));
  const max = Math.max(
    0,
    ...sums.map((values) => (stacked ? values.reduce((a, b) => a + b, 0) : Math.max(...values))),
    ...targets.map((t) => t.value),
  );
  const ticks = unit === 'seconds' ? durationTicks(max) : undefined;
  const domain = ticks ? [0, ticks.at(-1)!] : undefined;
  const fmt = (v: number) => (unit === 'seconds' ? formatDurationTickIn(v, max) : formatTick(unit, v));
  const axisLabel = { fontSize: 12, fill: '#334e68', className: 'axis-title' };
  const bottomLabel = (value: string) => ({
    value,
    position: 'insideBottom' as const,
    offset: 0,
    ...axisLabel,
  });
  const sideLabel = (value: string) => ({
    value,
    angle: -90,
    position: 'insideLeft' as const,
    offset: 0,
    style: { textAnchor: 'middle' as const },
    ...axisLabel,
  });
  const valueLabel = valueAxisTitle(valueTitle, unit, max);
  return (
    <ResponsiveContainer width="100%" height={height}>
      <BarChart
        data={data}
        layout={vertical ? 'vertical' : 'horizontal'}
        margin={{ top: 8, right: 16, bottom: 8, left: 14 }}
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
              height={44}
              label={bottomLabel(valueLabel)}
            />
            <YAxis
              type="category"
              dataKey={categoryKey}
              width={categoryWidth + 18}
              fontSize={13}
              stroke="#334e68"
              label={sideLabel(categoryTitle)}
            />
          </>
        ) : (
          <>
            <XAxis
              dataKey={categoryKey}
              fontSize={13}
              stroke="#334e68"
              height={44}
              label={bottomLabel(categoryTitle)}
            />
            <YAxis
              tickFormatter={fmt}
              allowDecimals={unit !== 'count'}
              ticks={ticks}
              domain={domain}
              width={78}
              fontSize={13}
              stroke="#334e68"
              label={sideLabel(valueLabel)}
            />
          </>
        )}
        <Tooltip formatter={(v) => formatValue(unit, typeof v === 'number' ? v : null)} />
        {targets.map((t, i) => (
          <ReferenceLine
            key={`target:${t.label}`}
            {...(vertical ? { x: t.value } : { y: t.value })}
            stroke={t.color ?? '#2f855a'}
            strokeDasharray="8 4"
            strokeWidth={1.5}
            ifOverflow="extendDomain"
            className="target-line"
            label={{
              value: t.label,
              position: i % 2 === 0 ? 'insideTopRight' : 'insideBottomRight',
              fontSize: 11,
              fill: t.color ?? '#2f855a',
            }}
          />
        ))}
        {bars.length > 1 && <Legend itemSorter={null} />}
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
