import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Rectangle,
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
 * Every bar is a keyboard stop with a spoken label (series, category, value); with
 * `onBarActivate` Enter, Space or a click on it opens what it counts (like line-chart points).
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
  onBarActivate,
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
  /** Called with a bar's data row and series on Enter, Space or click (drill-down). */
  onBarActivate?: (row: Record<string, unknown>, bar: BarSeries) => void;
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
        // The bars themselves are the tab stops, not the whole surface.
        accessibilityLayer={false}
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
            style={onBarActivate ? { cursor: 'pointer' } : undefined}
            shape={(props: BarShapeProps) => (
              <KeyboardBar
                key={`${bar.key}:${props.index}`}
                {...props}
                label={`${bar.label}, ${String(props.payload?.[categoryKey] ?? '')}: ${formatValue(unit, typeof props.payload?.[bar.key] === 'number' ? (props.payload[bar.key] as number) : null)}${onBarActivate ? '. Press Enter for its items.' : ''}`}
                onActivate={onBarActivate && (() => onBarActivate(props.payload ?? {}, bar))}
              />
            )}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}

interface BarShapeProps {
  x?: number;
  y?: number;
  width?: number;
  height?: number;
  fill?: string;
  index?: number;
  payload?: Record<string, unknown>;
}

/**
 * One bar as a keyboard stop: a focusable group (role button when it drills down, a focus ring
 * around it) labelled with its series, category and value; Enter or Space activates it.
 */
function KeyboardBar({
  x = 0,
  y = 0,
  width = 0,
  height = 0,
  fill,
  label,
  onActivate,
}: BarShapeProps & { label: string; onActivate: (() => void) | undefined }) {
  if (!(width > 0) || !(height > 0)) return <g />;
  const ring = (
    <rect className="focus-ring" x={x - 3} y={y - 3} width={width + 6} height={height + 6} fill="none" />
  );
  const bar = <Rectangle x={x} y={y} width={width} height={height} fill={fill} />;
  if (!onActivate) {
    return (
      // A keyboard stop that only speaks its value (a bar of a chart without a drill-down).
      // biome-ignore lint/a11y/noInteractiveElementToNoninteractiveRole: the tab stop reads a figure; it has no action
      <g className="chart-bar" tabIndex={0} role="img" aria-label={label}>
        {ring}
        {bar}
      </g>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a bar inside an SVG chart cannot be an HTML <button>
    <g
      className="chart-bar"
      tabIndex={0}
      role="button"
      aria-label={label}
      onClick={onActivate}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onActivate();
        }
      }}
    >
      {ring}
      {bar}
    </g>
  );
}
