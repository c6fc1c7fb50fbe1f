/**
 * Two small canvas charts, drawn from scratch on every update: a line chart
 * (loss, accuracy) and a heat map (gradient norm per layer per step). Both
 * size themselves to their element's CSS width and the device pixel ratio.
 */

export interface Series {
  label: string;
  color: string;
  points: Array<[number, number]>;
}

const AXIS = '#6b7280';
const GRID = '#e5e7eb';
const FONT = '11px system-ui, sans-serif';

/** Sizes the canvas backing store to its displayed size; returns the 2D context in CSS pixels. */
function fit(
  canvas: HTMLCanvasElement,
  cssHeight: number,
): { ctx: CanvasRenderingContext2D; width: number; height: number } {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(120, canvas.clientWidth || canvas.parentElement?.clientWidth || 300);
  canvas.style.height = `${cssHeight}px`;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(cssHeight * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(cssHeight * ratio);
  }
  const ctx = canvas.getContext('2d')!;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, cssHeight);
  ctx.font = FONT;
  return { ctx, width, height: cssHeight };
}

function niceNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 1 ? v.toFixed(2) : a >= 0.01 ? v.toFixed(3) : v.toExponential(1);
}

/** A line chart of several series over steps, with a legend; `yRange` fixes the axis (e.g. [0, 1]). */
export function drawLines(
  canvas: HTMLCanvasElement,
  series: Series[],
  options: { yLabel: string; yRange?: [number, number]; height?: number },
): void {
  const { ctx, width, height } = fit(canvas, options.height ?? 200);
  const legend = layoutLegend(ctx, series, 48, width - 10);
  const pad = { left: 48, right: 10, top: 8 + 16 * legend.rows, bottom: 24 };
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    ctx.fillStyle = AXIS;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(`no ${options.yLabel} yet: press Train`, width / 2, height / 2);
    return;
  }
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  let [yMin, yMax] = options.yRange ?? [Math.min(...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (!Number.isFinite(yMin) || !Number.isFinite(yMax)) [yMin, yMax] = [0, 1];
  if (yMax - yMin < 1e-9) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const x = (v: number) => pad.left + (v / xMax) * plotW;
  const y = (v: number) => pad.top + (1 - (v - yMin) / (yMax - yMin)) * plotH;

  ctx.strokeStyle = GRID;
  ctx.fillStyle = AXIS;
  ctx.lineWidth = 1;
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (let i = 0; i <= 4; i++) {
    const v = yMin + ((yMax - yMin) * i) / 4;
    ctx.beginPath();
    ctx.moveTo(pad.left, y(v));
    ctx.lineTo(width - pad.right, y(v));
    ctx.stroke();
    ctx.fillText(niceNumber(v), pad.left - 6, y(v));
  }
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  ctx.fillText(`${options.yLabel} over ${Math.round(xMax)} steps`, pad.left + plotW / 2, height - pad.bottom + 8);

  for (const s of series) {
    if (s.points.length === 0) continue;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    s.points.forEach(([px, py], i) => (i === 0 ? ctx.moveTo(x(px), y(py)) : ctx.lineTo(x(px), y(py))));
    ctx.stroke();
    if (s.points.length === 1) {
      ctx.fillStyle = s.color;
      ctx.fillRect(x(s.points[0][0]) - 2, y(s.points[0][1]) - 2, 4, 4);
    }
  }
  // Legend along the top.
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  for (const item of legend.items) {
    ctx.fillStyle = item.color;
    ctx.fillRect(item.x, item.y - 1, 12, 3);
    ctx.fillStyle = '#111827';
    ctx.fillText(item.text, item.x + 16, item.y);
  }
}

/** Places the legend entries left to right, wrapping onto new rows when the line is full. */
function layoutLegend(ctx: CanvasRenderingContext2D, series: Series[], left: number, right: number) {
  const items: Array<{ x: number; y: number; text: string; color: string }> = [];
  let x = left;
  let row = 0;
  for (const s of series) {
    const last = s.points[s.points.length - 1];
    const text = `${s.label}${last ? `: ${niceNumber(last[1])}` : ''}`;
    const w = 16 + ctx.measureText(text).width;
    if (x > left && x + w > right) {
      row += 1;
      x = left;
    }
    items.push({ x, y: 9 + 16 * row, text, color: s.color });
    x += w + 14;
  }
  return { items, rows: Math.max(1, row + 1) };
}

/** Viridis, sampled at eight stops and interpolated. */
const VIRIDIS = [
  [68, 1, 84],
  [70, 50, 127],
  [54, 92, 141],
  [39, 127, 142],
  [31, 161, 135],
  [74, 194, 109],
  [159, 218, 58],
  [253, 231, 37],
] as const;

function viridis(t: number): [number, number, number] {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(u));
  const f = u - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1]), a[2] + f * (b[2] - a[2])];
}

/** One heat map: rows are layers (input at the top), columns steps. */
export interface HeatMap {
  title: string;
  rows: string[];
  /** One array of row values per step. */
  columns: Float32Array[];
}

/** Where a heat map's cells landed, to name the cell under the pointer. */
export interface HeatMapArea {
  map: HeatMap;
  left: number;
  top: number;
  width: number;
  rowHeight: number;
}

/**
 * Heat maps of log10(gradient norm) over steps, drawn one above the other on
 * one canvas with one shared colour scale, so two models compare at a glance.
 */
export function drawHeatMaps(canvas: HTMLCanvasElement, maps: HeatMap[]): HeatMapArea[] {
  const areas: HeatMapArea[] = [];
  const rowHeight = (m: HeatMap) => Math.max(3, Math.min(14, Math.floor(160 / Math.max(1, m.rows.length))));
  const blockHeight = (m: HeatMap) => 18 + m.rows.length * rowHeight(m) + 8;
  const legendHeight = 30;
  const { ctx, width, height } = fit(canvas, Math.max(80, maps.reduce((h, m) => h + blockHeight(m), 0) + legendHeight));
  let lo = Infinity;
  let hi = -Infinity;
  for (const m of maps) {
    for (const column of m.columns) {
      for (const v of column) {
        if (!(v > 0)) continue; // a layer with no gradient at all is drawn at the bottom of the scale
        const l = Math.log10(v);
        if (l < lo) lo = l;
        if (l > hi) hi = l;
      }
    }
  }
  if (!Number.isFinite(lo)) [lo, hi] = [-4, 0];
  const span = Math.max(1e-6, hi - lo);
  const left = 8;
  const plotW = width - left - 8;

  let top = 0;
  for (const m of maps) {
    ctx.fillStyle = '#111827';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    ctx.fillText(`${m.title}: ${m.rows.length} weighted layers, input at the top`, left, top + 3);
    const rh = rowHeight(m);
    const y0 = top + 18;
    if (m.columns.length > 0) {
      const image = ctx.createImageData(m.columns.length, m.rows.length);
      m.columns.forEach((column, step) => {
        column.forEach((v, row) => {
          const [r, g, b] = viridis((Math.log10(Math.max(v, 1e-12)) - lo) / span);
          const o = 4 * (row * m.columns.length + step);
          image.data.set([r, g, b, 255], o);
        });
      });
      const bitmap = document.createElement('canvas');
      bitmap.width = image.width;
      bitmap.height = image.height;
      bitmap.getContext('2d')!.putImageData(image, 0, 0);
      ctx.imageSmoothingEnabled = false;
      ctx.drawImage(bitmap, left, y0, plotW, m.rows.length * rh);
    } else {
      ctx.strokeStyle = GRID;
      ctx.strokeRect(left, y0, plotW, m.rows.length * rh);
    }
    areas.push({ map: m, left, top: y0, width: plotW, rowHeight: rh });
    top += blockHeight(m);
  }
  // Colour scale.
  const gradient = ctx.createLinearGradient(left, 0, left + plotW, 0);
  VIRIDIS.forEach((c, i) => gradient.addColorStop(i / (VIRIDIS.length - 1), `rgb(${c.join(',')})`));
  ctx.fillStyle = gradient;
  ctx.fillRect(left, height - legendHeight + 4, plotW, 8);
  ctx.fillStyle = AXIS;
  ctx.textBaseline = 'top';
  ctx.textAlign = 'left';
  ctx.fillText(`‖grad‖ 1e${lo.toFixed(1)}`, left, height - legendHeight + 15);
  ctx.textAlign = 'right';
  ctx.fillText(`1e${hi.toFixed(1)}`, left + plotW, height - legendHeight + 15);
  ctx.textAlign = 'center';
  ctx.fillText('log scale, steps →', left + plotW / 2, height - legendHeight + 15);
  return areas;
}

/** The layer, step and gradient norm under the point `(x, y)` (CSS pixels in the canvas), if any. */
export function heatMapCellAt(
  areas: HeatMapArea[],
  x: number,
  y: number,
): { title: string; layer: string; step: number; value: number } | null {
  for (const a of areas) {
    const row = Math.floor((y - a.top) / a.rowHeight);
    const step = Math.floor(((x - a.left) / a.width) * a.map.columns.length);
    if (row < 0 || row >= a.map.rows.length || step < 0 || step >= a.map.columns.length) continue;
    return { title: a.map.title, layer: a.map.rows[row], step: step + 1, value: a.map.columns[step][row] };
  }
  return null;
}
