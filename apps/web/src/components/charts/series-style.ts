// Line styles of the trend charts, kept apart from the chart component so that pages can count
// series without loading the charts' chunk (Recharts).

/** Okabe-Ito palette: distinguishable with colour-vision deficiencies; lines also differ by dash. */
export const seriesColors = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000'];
/** One dash pattern per palette colour (solid first), so a line is told apart without colour too. */
export const seriesDashes = ['', '6 3', '2 2', '8 3 2 3', '4 4', '1 3', '10 4'];
/** Series one chart may draw, each with its own colour and dash (more would repeat a style). */
export const MAX_SERIES = seriesColors.length;

/** A line of a trend chart; colour and dash default to the palette by the line's position. */
export interface TrendLine {
  key: string;
  label: string;
  color?: string;
  dash?: string;
}

/** Colour and dash of each line, in order: the line's own, else the palette's by position. */
export function lineStyles(lines: readonly TrendLine[]): { color: string; dash: string }[] {
  return lines.map((line, i) => ({
    color: line.color ?? seriesColors[i % seriesColors.length]!,
    dash: line.dash ?? seriesDashes[i % seriesDashes.length]!,
  }));
}
