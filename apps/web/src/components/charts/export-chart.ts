/** Saves a Blob or data URL as a file through a temporary download link. */
export function downloadFile(data: Blob | string, fileName: string): void {
  const href = typeof data === 'string' ? data : URL.createObjectURL(data);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  if (typeof data !== 'string') setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/**
 * What makes an exported chart a slide that stands on its own in a board deck: everything a
 * reader needs is inside the image, nothing of the page's controls is.
 */
export interface Slide {
  /** e.g. `Organisation change failure rate`. */
  title: string;
  /** The period with its year and what it is compared with, e.g. `7 Sep – 4 Oct 2026 · vs …`. */
  period: string;
  /** What the value axis measures, e.g. `% of production deployments that failed`. */
  unit: string;
  /** The n behind the figure, e.g. `n = 12 deployments: 3 failed of 12 deployments`. */
  basis: string;
  /** The source line, e.g. `Stride · DORA 2023 levels · generated 2026-12-01`. */
  source: string;
  /** Marks the slide as demo data. */
  demo?: boolean;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
const PAD = 16;

/**
 * Splits text into lines no wider than `width` px in `font` (measured on a canvas, as the slide's
 * text will be drawn with the same fonts); a word longer than a line stays whole.
 */
function wrap(text: string, width: number, font: string): string[] {
  const context = document.createElement('canvas').getContext('2d');
  const measure = (line: string) => {
    if (!context) return line.length * 0.6 * (Number.parseFloat(font.match(/(\d+)px/)?.[1] ?? '14') || 14);
    context.font = font;
    return context.measureText(line).width;
  };
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (line && measure(next) > width) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * Builds the slide of a chart card as SVG source: title, period, unit, the chart itself (the
 * card's Recharts SVG), its legend (line colour and dash, in the order of the lines) and notes,
 * then the n basis and the source line. Buttons, links and hints of the page are left out.
 * @param node the chart card (`section.chart-card`), holding one `svg.recharts-surface`
 * @returns the SVG document and its size in px
 * @throws Error when the card has no chart
 */
export function buildSlideSvg(
  node: HTMLElement,
  slide: Slide,
): { source: string; width: number; height: number } {
  const svg = node.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) throw new Error('no chart to export');
  const chartWidth = Number(svg.getAttribute('width')) || svg.clientWidth;
  const chartHeight = Number(svg.getAttribute('height')) || svg.clientHeight;
  const width = Math.max(chartWidth + 2 * PAD, 640);
  const inner = width - 2 * PAD;
  const root = document.createElementNS(SVG_NS, 'svg');
  const family = getComputedStyle(node).fontFamily || 'sans-serif';
  const parts: SVGElement[] = [];
  let y = PAD;
  const text = (
    content: string,
    size: number,
    options: { bold?: boolean; color?: string; x?: number } = {},
  ) => {
    const element = document.createElementNS(SVG_NS, 'text');
    element.setAttribute('x', String(options.x ?? PAD));
    element.setAttribute('y', String(y + size));
    element.setAttribute('font-size', String(size));
    element.setAttribute('fill', options.color ?? '#102a43');
    if (options.bold) element.setAttribute('font-weight', 'bold');
    element.textContent = content;
    parts.push(element);
    return element;
  };
  const lines = (
    content: string,
    size: number,
    options: { bold?: boolean; color?: string; width?: number } = {},
  ) => {
    const font = `${options.bold ? 'bold ' : ''}${size}px ${family}`;
    for (const line of wrap(content, options.width ?? inner, font)) {
      text(line, size, options);
      y += Math.round(size * 1.35);
    }
  };

  const demoWidth = 96;
  if (slide.demo) {
    const mark = text('DEMO DATA', 13, { bold: true, color: '#9b1c1c', x: width - PAD });
    mark.setAttribute('text-anchor', 'end');
    mark.setAttribute('y', String(y + 18));
  }
  lines(slide.title, 22, { bold: true, width: slide.demo ? inner - demoWidth : inner });
  if (slide.period) lines(slide.period, 14);
  if (slide.unit) lines(`Unit: ${slide.unit}`, 13, { color: '#334e68' });
  y += 6;

  // The chart as drawn on the page, in its own coordinate system.
  const chart = svg.cloneNode(true) as SVGSVGElement;
  chart.setAttribute('x', String(PAD));
  chart.setAttribute('y', String(y));
  chart.setAttribute('width', String(chartWidth));
  chart.setAttribute('height', String(chartHeight));
  chart.setAttribute('viewBox', `0 0 ${chartWidth} ${chartHeight}`);
  chart.removeAttribute('style');
  for (const hidden of chart.querySelectorAll('.recharts-tooltip-cursor, .recharts-active-dot'))
    hidden.remove();
  parts.push(chart);
  y += chartHeight + 8;

  // Recharts draws its legend in HTML: redraw it as SVG, each line with its colour and dash.
  const legend = [...node.querySelectorAll<HTMLElement>('.recharts-legend-item')].map((item) => {
    const shape = item.querySelector<SVGElement>('line, path, rect');
    const fill = shape?.getAttribute('fill');
    return {
      text: item.textContent?.trim() ?? '',
      color: fill && fill !== 'none' ? fill : (shape?.getAttribute('stroke') ?? '#000000'),
      dash: shape?.getAttribute('stroke-dasharray') ?? '',
      line: shape?.tagName.toLowerCase() === 'line',
    };
  });
  let x = PAD;
  for (const item of legend) {
    const itemWidth = 34 + item.text.length * 7.2 + 18;
    if (x > PAD && x + itemWidth > width - PAD) {
      x = PAD;
      y += 22;
    }
    if (item.line) {
      const swatch = document.createElementNS(SVG_NS, 'line');
      swatch.setAttribute('x1', String(x));
      swatch.setAttribute('x2', String(x + 28));
      swatch.setAttribute('y1', String(y + 9));
      swatch.setAttribute('y2', String(y + 9));
      swatch.setAttribute('stroke', item.color);
      swatch.setAttribute('stroke-width', '3');
      if (item.dash) swatch.setAttribute('stroke-dasharray', item.dash);
      parts.push(swatch);
    } else {
      const swatch = document.createElementNS(SVG_NS, 'rect');
      swatch.setAttribute('x', String(x + 8));
      swatch.setAttribute('y', String(y + 3));
      swatch.setAttribute('width', '12');
      swatch.setAttribute('height', '12');
      swatch.setAttribute('fill', item.color);
      parts.push(swatch);
    }
    const label = text(item.text, 13, { x: x + 34 });
    label.setAttribute('y', String(y + 14));
    x += itemWidth;
  }
  if (legend.length > 0) y += 28;

  // The chart's own notes (partial buckets, breaks, faint points) explain what is drawn.
  for (const note of node.querySelectorAll<HTMLElement>('.chart-note')) {
    lines(note.textContent?.trim() ?? '', 12, { color: '#486581' });
  }
  y += 6;
  if (slide.basis) lines(slide.basis, 13, { color: '#243b53' });
  lines(slide.demo ? `${slide.source} · demo data` : slide.source, 12, { color: '#486581' });
  y += PAD - 6;

  const height = Math.ceil(y);
  root.setAttribute('xmlns', SVG_NS);
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  root.setAttribute('font-family', family);
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(width));
  background.setAttribute('height', String(height));
  background.setAttribute('fill', '#ffffff');
  root.append(background, ...parts);
  const source = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(root)}`;
  return { source, width, height };
}

/** Exports a chart card as an SVG slide (vector, editable; see buildSlideSvg). */
export function exportSvg(node: HTMLElement, slide: Slide, fileName: string): void {
  const { source } = buildSlideSvg(node, slide);
  downloadFile(new Blob([source], { type: 'image/svg+xml' }), fileName);
}

/** Draws an SVG document onto a canvas at `scale`. @throws Error when the image cannot load */
export async function rasterizeSvg(
  source: string,
  width: number,
  height: number,
  scale: number,
): Promise<HTMLCanvasElement> {
  const url = URL.createObjectURL(new Blob([source], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the slide could not be drawn'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('no canvas to draw the slide on');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return canvas;
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Exports a chart card as a PNG slide at 2x for projectors and decks: the SVG slide (buildSlideSvg)
 * rasterised, so both exports carry the same title, period, unit, n and source line.
 */
export async function exportPng(node: HTMLElement, slide: Slide, fileName: string): Promise<void> {
  const { source, width, height } = buildSlideSvg(node, slide);
  const canvas = await rasterizeSvg(source, width, height, 2);
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('the PNG could not be encoded');
  downloadFile(blob, fileName);
}
