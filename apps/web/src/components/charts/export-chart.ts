import { toPng } from 'html-to-image';

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

/** Exports a chart card (title, legend, chart) as a PNG at 2x for projectors and slides. */
export async function exportPng(node: HTMLElement, fileName: string): Promise<void> {
  const dataUrl = await toPng(node, {
    backgroundColor: '#ffffff',
    pixelRatio: 2,
    cacheBust: true,
    // The export buttons are controls, not part of the figure.
    filter: (child) => !(child instanceof HTMLElement && child.classList.contains('no-print')),
  });
  downloadFile(dataUrl, fileName);
}

/**
 * Exports the chart's own SVG (vector, editable), with the title as an SVG text element and the
 * computed font inlined so it renders the same outside the page.
 */
export function exportSvg(node: HTMLElement, title: string, fileName: string): void {
  const svg = node.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!svg) throw new Error('no chart to export');
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const width = Number(svg.getAttribute('width')) || svg.clientWidth;
  const height = Number(svg.getAttribute('height')) || svg.clientHeight;
  const titleHeight = 28;
  // Recharts draws its legend in HTML: redraw it as SVG swatches + text under the plot.
  const legend = [...node.querySelectorAll<HTMLElement>('.recharts-legend-item')].map((item) => {
    const shape = item.querySelector<SVGElement>('path, line, rect');
    const color = shape?.getAttribute('fill') || shape?.getAttribute('stroke') || '#000000';
    return {
      text: item.textContent?.trim() ?? '',
      color: color === 'none' ? (shape?.getAttribute('stroke') ?? '#000') : color,
    };
  });
  const legendHeight = legend.length > 0 ? 24 : 0;
  const ns = 'http://www.w3.org/2000/svg';
  const total = height + titleHeight + legendHeight;
  clone.setAttribute('xmlns', ns);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(total));
  clone.setAttribute('viewBox', `0 ${-titleHeight} ${width} ${total}`);
  clone.setAttribute('font-family', getComputedStyle(node).fontFamily || 'sans-serif');
  const background = document.createElementNS(ns, 'rect');
  background.setAttribute('x', '0');
  background.setAttribute('y', String(-titleHeight));
  background.setAttribute('width', String(width));
  background.setAttribute('height', String(total));
  background.setAttribute('fill', '#ffffff');
  const text = document.createElementNS(ns, 'text');
  text.setAttribute('x', '8');
  text.setAttribute('y', String(-titleHeight / 2 + 6));
  text.setAttribute('font-size', '16');
  text.setAttribute('font-weight', 'bold');
  text.textContent = title;
  clone.prepend(background, text);
  let x = 8;
  for (const item of legend) {
    const swatch = document.createElementNS(ns, 'rect');
    swatch.setAttribute('x', String(x));
    swatch.setAttribute('y', String(height + 6));
    swatch.setAttribute('width', '12');
    swatch.setAttribute('height', '12');
    swatch.setAttribute('fill', item.color);
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', String(x + 16));
    label.setAttribute('y', String(height + 17));
    label.setAttribute('font-size', '13');
    label.textContent = item.text;
    clone.append(swatch, label);
    x += 16 + item.text.length * 7.5 + 16;
  }
  const source = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  downloadFile(new Blob([source], { type: 'image/svg+xml' }), fileName);
}
