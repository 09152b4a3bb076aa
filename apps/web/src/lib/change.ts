/**
 * How a figure moved against the previous period, worded once for every view (overview cells,
 * team tiles, retro rows, board pack, tooltips), as docs/metrics.md ("Showing a change") says:
 * - a **rate** (unit `ratio`, 0..1: change failure rate, rework rate, unplanned work, any share)
 *   moves in **percentage points**: 20 % → 67 % is `+47 pp`, never `+233 %`;
 * - a **duration or count** moves by a relative change: 10 → 12 is `+20 %`;
 * - a move **from zero** has a direction and a tone like any other: 0 % → 33 % is `+33 pp`,
 *   0 → 1 is `0 → 1` (a relative change of a zero is undefined, the move is not);
 * - a change that rounds to nothing reads `unchanged`.
 */
export type ChangeUnit = 'count' | 'seconds' | 'ratio';

export interface ChangeView {
  direction: 'up' | 'down' | 'flat' | 'none';
  arrow: '↑' | '↓' | '→' | '·';
  tone: 'better' | 'worse' | 'neutral';
  /** The size of the change alone: `+47 pp`, `−5 %`, `0 → 1`, `unchanged`, or `—` when unknown. */
  text: string;
  /** The change and its tone: `+47 pp, worse`, `no previous data`, `no data in the period`. */
  label: string;
}

/**
 * Formats the move between two ratios (0..1) in percentage points, e.g. `+47 pp`, `−0.5 pp`, to
 * the precision the ratios are shown with (formatRatio: one decimal under 10 %), so `14 %` after
 * `14 %` reads `±0 pp`, not a change the reader cannot see.
 */
export function formatPointChange(previous: number, current: number): string {
  const decimal = (r: number) => r !== 0 && Math.abs(r) < 0.1;
  const digits = decimal(previous) || decimal(current) ? 1 : 0;
  // The difference of the percentages as shown, so the reader's own subtraction agrees.
  const shown = (r: number) => Number((r * 100).toFixed(digits));
  const points = shown(current) - shown(previous);
  const rounded = Number(Math.abs(points).toFixed(digits));
  if (rounded === 0) return '±0 pp';
  return `${points > 0 ? '+' : '−'}${rounded} pp`;
}

/** Formats a relative change (0.12 = +12 %), e.g. `+12 %`, `−5 %`. */
export function formatRelativeChange(change: number): string {
  const pct = Math.round(change * 100);
  if (pct === 0) return '±0 %';
  return `${pct > 0 ? '+' : '−'}${Math.abs(pct)} %`;
}

const arrows = { up: '↑', down: '↓', flat: '→', none: '·' } as const;

/**
 * Describes the move of one figure from `previous` to `current` (the same statistic over the
 * previous period and this one).
 * @param input.unit `ratio` (0..1) moves in percentage points; `count` and `seconds` relatively
 * @param input.previous value over the previous period; null without data
 * @param input.current value over this period; null without data
 * @param input.better which direction is an improvement; null when neither (no tone)
 * @param input.format formats a value of the unit, for a move from zero (`0 → 1`)
 */
export function describeChange(input: {
  unit: ChangeUnit;
  previous: number | null | undefined;
  current: number | null | undefined;
  better: 'higher' | 'lower' | null;
  format?: (value: number) => string;
}): ChangeView {
  const { unit, previous, current, better } = input;
  const known = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
  if (!known(current)) {
    return { direction: 'none', arrow: '·', tone: 'neutral', text: '—', label: 'no data in the period' };
  }
  if (!known(previous)) {
    return { direction: 'none', arrow: '·', tone: 'neutral', text: '—', label: 'no previous data' };
  }
  const flat = {
    direction: 'flat',
    arrow: '→',
    tone: 'neutral',
    text: 'unchanged',
    label: 'unchanged',
  } as const;
  if (current === previous) return { ...flat };
  const direction = current > previous ? 'up' : 'down';
  let text: string;
  if (unit === 'ratio') {
    text = formatPointChange(previous, current);
    if (text === '±0 pp') return { ...flat };
  } else if (previous === 0) {
    // No relative change exists from zero, but the move does: say where it went.
    const format = input.format ?? ((v: number) => String(v));
    text = `${format(0)} → ${format(current)}`;
  } else {
    text = formatRelativeChange((current - previous) / previous);
    if (text === '±0 %') return { ...flat };
  }
  const tone =
    better === null ? 'neutral' : (better === 'higher') === (direction === 'up') ? 'better' : 'worse';
  return {
    direction,
    arrow: arrows[direction],
    tone,
    text,
    label: tone === 'neutral' ? text : `${text}, ${tone}`,
  };
}

const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * A period `[from, to)` as people read it, end inclusive, in UTC whatever the browser's zone:
 * `2 Jul – 30 Sep 2026`, `15 Dec 2025 – 14 Jan 2026`, `3 Nov 2026` for one day.
 * @param period ISO dates (`YYYY-MM-DD`) or date-times; `to` exclusive
 */
export function periodLabel(period: { from: string; to: string }): string {
  const at = (v: string) => new Date(v.length === 10 ? `${v}T00:00:00Z` : v);
  const from = at(period.from);
  // The last instant inside the period names its last day.
  const last = new Date(at(period.to).getTime() - 1);
  const dayMonth = (d: Date) => `${d.getUTCDate()} ${months[d.getUTCMonth()]}`;
  if (from.getUTCFullYear() === last.getUTCFullYear()) {
    if (dayMonth(from) === dayMonth(last)) return `${dayMonth(from)} ${from.getUTCFullYear()}`;
    return `${dayMonth(from)} – ${dayMonth(last)} ${last.getUTCFullYear()}`;
  }
  return `${dayMonth(from)} ${from.getUTCFullYear()} – ${dayMonth(last)} ${last.getUTCFullYear()}`;
}
