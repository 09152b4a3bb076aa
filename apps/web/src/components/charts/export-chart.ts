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
  const dataUrl = await toPng(node, { backgroundColor: '#ffffff', pixelRatio: 2, cacheBust: true });
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
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height + titleHeight));
  clone.setAttribute('viewBox', `0 ${-titleHeight} ${width} ${height + titleHeight}`);
  clone.setAttribute('font-family', getComputedStyle(node).fontFamily || 'sans-serif');
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  background.setAttribute('x', '0');
  background.setAttribute('y', String(-titleHeight));
  background.setAttribute('width', String(width));
  background.setAttribute('height', String(height + titleHeight));
  background.setAttribute('fill', '#ffffff');
  const text = document.createElementNS('http://www.w3.org/2000/svg', 'text');
  text.setAttribute('x', '8');
  text.setAttribute('y', String(-titleHeight / 2 + 6));
  text.setAttribute('font-size', '16');
  text.setAttribute('font-weight', 'bold');
  text.textContent = title;
  clone.prepend(background, text);
  // Legend is HTML in Recharts; add it as text rows so the SVG stays self-explanatory.
  const source = `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
  downloadFile(new Blob([source], { type: 'image/svg+xml' }), fileName);
}
