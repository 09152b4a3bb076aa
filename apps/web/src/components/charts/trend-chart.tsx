import type { ReactNode } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  durationTicks,
  durationUnit,
  formatDurationTickIn,
  formatTick,
  formatValue,
} from '../../lib/format.ts';
import { type BucketSpan, partialBuckets, partialNote } from '../../lib/partial-bucket.ts';
import { bucketLabel } from '../../lib/period.ts';
import { isTooFew, MIN_SAMPLE_SIZE, type SampleNoun, sampleText } from '../../lib/sample.ts';
import { AnnotationList } from './annotation-list.tsx';
import { chartEvents, useChartOverlays } from './chart-annotations.tsx';
import { lineStyles, type TrendLine } from './series-style.ts';

export { lineStyles, MAX_SERIES, seriesColors, seriesDashes, type TrendLine } from './series-style.ts';

/** Axis title with its unit: `(%)` for rates, the ticks' duration unit (`(days)`) for seconds. */
export function valueAxisTitle(
  title: string,
  unit: 'count' | 'seconds' | 'ratio',
  maxSeconds: number,
): string {
  if (unit === 'ratio') return `${title} (%)`;
  if (unit === 'seconds') return `${title} (${durationUnit(maxSeconds).name})`;
  return title;
}

/**
 * Line chart of one metric over time buckets. `data` rows have `bucket` (ISO), one value per
 * line key and optionally its sample size under `<key>:n` (see mergeSeries); `unit` formats axis
 * and tooltip. Lines are straight segments between measured buckets: a bucket without a value
 * breaks the line (never interpolated), and a point with fewer than MIN_SAMPLE_SIZE items is
 * drawn hollow and faint; the tooltip gives each value's n.
 */
export function TrendChart({
  data,
  lines,
  unit,
  height = 240,
  width,
  emphasizeFirst = false,
  onBucketClick,
  span,
  noun,
  xTitle,
  yTitle,
  targets = [],
}: {
  data: Record<string, unknown>[];
  lines: TrendLine[];
  unit: 'count' | 'seconds' | 'ratio';
  height?: number;
  /** Fixed width (print); otherwise the chart fills its container. */
  width?: number;
  /** Draw the first line heavier (the organisation among teams). */
  emphasizeFirst?: boolean;
  /** Called with the clicked bucket's start (drill-down into that bucket). */
  onBucketClick?: (bucket: string) => void;
  /** Period and granularity of the series: a partial first/last bucket is drawn hollow and dashed. */
  span?: BucketSpan;
  /** What the n of each point counts (`1 incident`); without it the tooltip says `n = 3`. */
  noun?: SampleNoun;
  /** Time axis title, e.g. `Week starting (UTC)`. */
  xTitle: string;
  /** Value axis title without its unit, e.g. `Lead time p50`; the unit is added (see valueAxisTitle). */
  yTitle: string;
  /** Goal targets drawn as dashed horizontal lines, in the chart's unit. */
  targets?: readonly { value: number; label: string }[];
}) {
  const styles = lineStyles(lines);
  // Events of the page's scope (ChartOverlayProvider) on the drawn buckets, numbered as listed.
  const buckets = data.map((r) => String(r.bucket));
  const events = chartEvents(useChartOverlays().annotations, buckets, span?.to);
  const eventLines = events.some(({ x1, x2 }) => x2 === undefined || x2 === x1);
  const partial = span
    ? partialBuckets(
        data.map((r) => String(r.bucket)),
        span,
      )
    : new Set<string>();
  const firstPartial = data.length > 0 && partial.has(String(data[0]!.bucket));
  const lastPartial = data.length > 0 && partial.has(String(data.at(-1)!.bucket));
  // Each line's partial points (and the segment to their neighbour) go to a second, dashed line.
  const plotted =
    partial.size === 0
      ? data
      : data.map((row, i) => {
          const next: Record<string, unknown> = { ...row };
          const edge = partial.has(String(row.bucket));
          const neighbour = (firstPartial && i === 1) || (lastPartial && i === data.length - 2) || edge;
          for (const l of lines) {
            next[`${l.key}:partial`] = neighbour ? row[l.key] : null;
            if (edge) next[l.key] = null;
          }
          return next;
        });
  const note = span ? partialNote(firstPartial, lastPartial, span.granularity) : null;
  const gaps = data.some((row) => lines.some((l) => row[l.key] === null || row[l.key] === undefined));
  const weak = data.some((row) =>
    lines.some(
      (l) =>
        typeof row[l.key] === 'number' &&
        typeof row[`${l.key}:n`] === 'number' &&
        isTooFew(row[`${l.key}:n`] as number),
    ),
  );
  const notes = [
    note,
    gaps
      ? `A break in a line: no data in that ${span?.granularity ?? 'bucket'} (nothing is interpolated).`
      : null,
    weak ? `Faint hollow points: fewer than ${MIN_SAMPLE_SIZE} items in the bucket.` : null,
  ].filter((n): n is string => n !== null);
  const max = Math.max(
    0,
    ...data.flatMap((row) => lines.map((l) => row[l.key])).filter((v): v is number => typeof v === 'number'),
    ...targets.map((t) => t.value),
  );
  const ticks = unit === 'seconds' ? durationTicks(max) : undefined;
  const yLabel = yTitle ? valueAxisTitle(yTitle, unit, max) : undefined;
  // What a keyboard or screen-reader user hears on a point: line, bucket, value and its n.
  const describe =
    (line: TrendLine) =>
    (row: Record<string, unknown>, key: string = line.key, isPartial = false): string => {
      const value = row[key];
      const n = row[`${line.key}:n`];
      const bucket = String(row.bucket);
      const when =
        span && span.granularity !== 'day' && span.granularity !== 'week'
          ? bucketLabel(bucket, span.granularity)
          : `${span?.granularity ?? 'bucket'} starting ${bucketLabel(bucket, 'day', true)}`;
      const sample = typeof n === 'number' ? ` (${noun ? sampleText(n, noun) : `n = ${n}`})` : '';
      return `${line.label}, ${when}${isPartial ? ' (partial)' : ''}: ${formatValue(unit, typeof value === 'number' ? value : null)}${sample}${onBucketClick ? '. Press Enter for its items.' : ''}`;
    };
  // About half the widest time label at 13 px (7.5 px a character).
  const labelRoom = Math.ceil(
    Math.max(0, ...buckets.map((b) => bucketLabel(b, span?.granularity ?? 'day').length)) * 3.75,
  );
  const chart = (
    <LineChart
      // The points themselves are the tab stops (Enter opens their items), not the whole surface.
      accessibilityLayer={false}
      data={plotted}
      // Room above the plot for an event line's number (drawn above its top end, else cut off).
      margin={{ top: eventLines ? 20 : 8, right: 16, bottom: xTitle ? 8 : 4, left: yLabel ? 14 : 8 }}
      width={width}
      height={height}
      style={onBucketClick ? { cursor: 'pointer' } : undefined}
      onClick={(state) => {
        // No active point (a click before any hover) gives null, which Number() would read as 0.
        const active = state?.activeTooltipIndex;
        const index = active === null || active === undefined || active === '' ? Number.NaN : Number(active);
        const bucket = Number.isInteger(index) ? data[index]?.bucket : undefined;
        if (onBucketClick && typeof bucket === 'string') onBucketClick(bucket);
      }}
    >
      <CartesianGrid stroke="#d9e2ec" strokeDasharray="3 3" />
      <XAxis
        dataKey="bucket"
        tickFormatter={(b: string) => bucketLabel(b, span?.granularity ?? 'day')}
        // When not every bucket fits a label: every k-th bucket from the first, the smallest k
        // whose labels do not collide, so ticks are evenly spaced in time (Recharts' default
        // keeps the last tick and drops others one by one, leaving uneven gaps).
        interval="equidistantPreserveStart"
        minTickGap={8}
        // Room for half the last bucket's label past the last point: a label that would stick
        // out of the axis is dropped, and without it the last bucket never got one.
        padding={{ left: 0, right: labelRoom }}
        fontSize={13}
        stroke="#334e68"
        height={xTitle ? 44 : 30}
        label={
          xTitle
            ? {
                value: xTitle,
                position: 'insideBottom',
                offset: 0,
                fontSize: 12,
                fill: '#334e68',
                className: 'axis-title',
              }
            : undefined
        }
      />
      <YAxis
        tickFormatter={(v: number) =>
          unit === 'seconds' ? formatDurationTickIn(v, max) : formatTick(unit, v)
        }
        allowDecimals={unit !== 'count'}
        ticks={ticks}
        // A rate that is 0 everywhere still gets a 0–100 % axis, not Recharts' 0–4 (0–400 %).
        domain={ticks ? [0, ticks.at(-1)!] : unit === 'ratio' && max === 0 ? [0, 1] : undefined}
        fontSize={13}
        width={yLabel ? 78 : 64}
        stroke="#334e68"
        label={
          yLabel
            ? {
                value: yLabel,
                angle: -90,
                position: 'insideLeft',
                offset: 0,
                fontSize: 12,
                fill: '#334e68',
                className: 'axis-title',
                style: { textAnchor: 'middle' },
              }
            : undefined
        }
      />
      <Tooltip
        labelFormatter={(b) =>
          span && span.granularity !== 'day' && span.granularity !== 'week'
            ? bucketLabel(String(b), span.granularity)
            : `from ${bucketLabel(String(b), 'day', true)}`
        }
        formatter={(v, _name, item) => {
          const text = formatValue(unit, typeof v === 'number' ? v : null);
          const key = String(item?.dataKey ?? '').replace(/:partial$/, '');
          const n = (item?.payload as Record<string, unknown> | undefined)?.[`${key}:n`];
          if (typeof n !== 'number') return text;
          return `${text} (${noun ? sampleText(n, noun) : `n = ${n}`}${isTooFew(n) ? ', too few to judge' : ''})`;
        }}
      />
      {targets.map((t) => (
        <ReferenceLine
          key={`target:${t.label}`}
          y={t.value}
          stroke="#2f855a"
          strokeDasharray="8 4"
          strokeWidth={1.5}
          ifOverflow="extendDomain"
          className="target-line"
          label={{ value: t.label, position: 'insideTopRight', fontSize: 11, fill: '#2f855a' }}
        />
      ))}
      {events.map(({ annotation, x1, x2 }, i) =>
        x2 !== undefined && x2 !== x1 ? (
          <ReferenceArea
            key={annotation.id}
            x1={x1 ?? buckets[0]}
            x2={x2}
            fill="#805ad5"
            fillOpacity={0.08}
            stroke="#805ad5"
            strokeOpacity={0.4}
            className="annotation-area"
            label={{
              value: String(i + 1),
              position: 'insideTopLeft',
              fontSize: 11,
              fill: '#553c9a',
              className: 'annotation-number',
            }}
          />
        ) : (
          <ReferenceLine
            key={annotation.id}
            x={x1}
            stroke="#805ad5"
            strokeDasharray="2 3"
            className="annotation-line"
            label={{
              value: String(i + 1),
              position: 'top',
              fontSize: 11,
              fill: '#553c9a',
              className: 'annotation-number',
            }}
          />
        ),
      )}
      {/* In the order of the lines (Recharts sorts by name otherwise), each with its dash. */}
      {lines.length > 1 && <Legend itemSorter={null} />}
      {lines.map((line, i) => (
        <Line
          key={line.key}
          dataKey={line.key}
          name={line.label}
          type="linear"
          className="series-line"
          legendType="plainline"
          stroke={styles[i]!.color}
          strokeDasharray={styles[i]!.dash}
          strokeWidth={i === 0 && emphasizeFirst ? 3.5 : 2}
          dot={(props: PointProps) => (
            <Point
              key={`p${props.index}`}
              {...props}
              lineKey={line.key}
              color={styles[i]!.color}
              describe={describe(line)}
              onActivate={onBucketClick}
            />
          )}
          isAnimationActive={false}
          connectNulls={false}
        />
      ))}
      {partial.size > 0 &&
        lines.map((line, i) => {
          const color = styles[i]!.color;
          return (
            <Line
              key={`${line.key}:partial`}
              dataKey={`${line.key}:partial`}
              name={`${line.label} (partial ${span?.granularity ?? ''})`}
              legendType="none"
              type="linear"
              stroke={color}
              strokeDasharray="3 4"
              strokeWidth={1.5}
              dot={(props: {
                cx?: number;
                cy?: number;
                index?: number;
                payload?: Record<string, unknown>;
              }) => {
                const isPartial = partial.has(String(props.payload?.bucket));
                if (!isPartial || props.cx === undefined || props.cy === undefined) {
                  return <g key={`d${props.index}`} />;
                }
                return (
                  <KeyboardPoint
                    key={`d${props.index}`}
                    cx={props.cx}
                    cy={props.cy}
                    label={describe(line)(props.payload ?? {}, `${line.key}:partial`, true)}
                    onActivate={onBucketClick && (() => onBucketClick(String(props.payload?.bucket)))}
                  >
                    <circle
                      className="partial-point"
                      cx={props.cx}
                      cy={props.cy}
                      r={4}
                      fill="#fff"
                      stroke={color}
                      strokeWidth={2}
                    />
                  </KeyboardPoint>
                );
              }}
              isAnimationActive={false}
              connectNulls={false}
            />
          );
        })}
    </LineChart>
  );
  const eventList = <AnnotationList annotations={events.map((e) => e.annotation)} />;
  const footnote =
    notes.length > 0 || events.length > 0 ? (
      <>
        {eventList}
        {note && (
          <p className="chart-note partial-note" data-testid="partial-note">
            {note}
          </p>
        )}
        {notes
          .filter((n) => n !== note)
          .map((n) => (
            <p className="chart-note" data-testid="chart-note" key={n}>
              {n}
            </p>
          ))}
      </>
    ) : null;
  if (width) {
    return footnote ? (
      <div>
        {chart}
        {footnote}
      </div>
    ) : (
      chart
    );
  }
  return (
    <>
      <ResponsiveContainer width="100%" height={height}>
        {chart}
      </ResponsiveContainer>
      {footnote}
    </>
  );
}

interface PointProps {
  cx?: number;
  cy?: number;
  index?: number;
  value?: unknown;
  payload?: Record<string, unknown>;
}

/**
 * A point with a spoken label; when the chart drills down, a tab stop activated with Enter or
 * Space (or a click), with a focus ring showing where focus is.
 */
function KeyboardPoint({
  cx,
  cy,
  label,
  onActivate,
  children,
}: {
  cx: number;
  cy: number;
  label: string;
  onActivate: (() => void) | undefined;
  children: ReactNode;
}) {
  const ring = <circle className="focus-ring" cx={cx} cy={cy} r={8} fill="none" />;
  if (!onActivate) {
    return (
      <g className="chart-point">
        <title>{label}</title>
        {children}
      </g>
    );
  }
  return (
    // biome-ignore lint/a11y/useSemanticElements: a point inside an SVG chart cannot be an HTML <button>
    <g
      className="chart-point"
      tabIndex={0}
      role="button"
      aria-label={label}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          onActivate();
        }
      }}
    >
      {ring}
      {children}
    </g>
  );
}

/** A line's point: solid, or hollow and faint when its bucket has fewer than MIN_SAMPLE_SIZE items. */
function Point({
  cx,
  cy,
  payload,
  lineKey,
  color,
  describe,
  onActivate,
}: PointProps & {
  lineKey: string;
  color: string;
  describe: (row: Record<string, unknown>) => string;
  onActivate?: ((bucket: string) => void) | undefined;
}) {
  const value = payload?.[lineKey];
  if (cx === undefined || cy === undefined || typeof value !== 'number' || !Number.isFinite(cy)) return <g />;
  const n = payload?.[`${lineKey}:n`];
  const weak = typeof n === 'number' && isTooFew(n);
  return (
    <KeyboardPoint
      cx={cx}
      cy={cy}
      label={describe(payload ?? {})}
      onActivate={onActivate && (() => onActivate(String(payload?.bucket)))}
    >
      {weak ? (
        <circle
          className="weak-point"
          data-n={n}
          cx={cx}
          cy={cy}
          r={3.5}
          fill="#fff"
          stroke={color}
          strokeOpacity={0.45}
          strokeWidth={1.5}
        />
      ) : (
        <circle
          className="point"
          data-n={typeof n === 'number' ? n : undefined}
          cx={cx}
          cy={cy}
          r={2.5}
          fill={color}
        />
      )}
    </KeyboardPoint>
  );
}
