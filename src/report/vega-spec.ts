// FigureSpec -> vega-lite 6 spec (pure data, browser-safe): xy, heatmap, quiver and table panels in a clean academic style.
import type { Axis, FigureSpec, HeatmapPanel, Panel, QuiverPanel, RuleMark, Scale, TablePanel, XYSeries } from '../experiments/figure-spec.js';
import { formatValue } from './format.js';

/** A vega-lite spec as plain JSON (built here, compiled by render.ts). */
export type VlSpec = Record<string, unknown>;

/** Plot area of one xy/heatmap/quiver panel, in px. */
export const PANEL_WIDTH = 360;
export const PANEL_HEIGHT = 250;

/** Palette for series without an explicit colour (Tableau 10: distinct, colour-blind tolerant, prints well). */
export const PALETTE: readonly string[] = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif';
const DASH = [6, 4];

/** Global look: white background, readable fonts, light grid. */
export const VL_CONFIG: VlSpec = {
  background: 'white',
  padding: 12,
  font: FONT,
  view: { stroke: '#9a9a9a' },
  axis: {
    gridColor: '#ececec', domainColor: '#333', tickColor: '#333', labelColor: '#222', titleColor: '#111',
    labelFontSize: 11, titleFontSize: 12, titleFontWeight: 'normal', titlePadding: 8,
  },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', labelLimit: 280, symbolStrokeWidth: 2 },
  title: { fontSize: 15, fontWeight: 'bold', anchor: 'start', offset: 10, subtitleFontSize: 12, subtitleColor: '#444' },
  line: { strokeWidth: 1.75 },
  concat: { spacing: 30 },
};

function isLog(s: Scale | undefined): boolean {
  return s === 'log';
}

function okValue(v: number, scale: Scale | undefined): boolean {
  return Number.isFinite(v) && (!isLog(scale) || v > 0);
}

function scaleOf(axis: Axis, domain?: readonly [number, number]): VlSpec {
  const d = axis.domain ?? domain;
  const s: VlSpec = { type: axis.scale ?? 'linear' };
  if (!isLog(axis.scale)) s['zero'] = false;
  if (d !== undefined) {
    s['domain'] = [d[0], d[1]];
    s['nice'] = false;
  }
  return s;
}

function posEnc(field: string, axis: Axis, domain?: readonly [number, number]): VlSpec {
  return { field, type: 'quantitative', title: axis.label, scale: scaleOf(axis, domain) };
}

function checkLen(what: string, a: ArrayLike<number>, b: ArrayLike<number>, names: string): void {
  if (a.length !== b.length) throw new Error(`figure: ${what}: ${names} have lengths ${a.length} and ${b.length}; they must be equal`);
}

interface ColorScale {
  readonly domain: string[];
  readonly range: string[];
  /** Labels drawn as points only (legend symbol: circle; the others: a stroke). */
  readonly points: string[];
  /** Labels drawn dashed (legend symbol dashed). */
  readonly dashed: string[];
}

/** Series labels -> colours (explicit colour wins; others take palette colours in order). */
function colorScale(series: ReadonlyArray<XYSeries>): ColorScale {
  const cs: ColorScale = { domain: [], range: [], points: [], dashed: [] };
  let next = 0;
  for (const s of series) {
    if (cs.domain.includes(s.label)) continue;
    cs.domain.push(s.label);
    cs.range.push(s.color ?? PALETTE[next++ % PALETTE.length]!);
    if (s.kind === 'points') cs.points.push(s.label);
    if (s.dash) cs.dashed.push(s.label);
  }
  return cs;
}

/** Colour by series label; the legend draws each entry like its series (stroke or dot, solid or dashed). */
function colorEnc(cs: ColorScale): VlSpec {
  const inList = (labels: string[]): string => `indexof(${JSON.stringify(labels)}, datum.value) >= 0`;
  return {
    field: 'series', type: 'nominal', scale: { domain: cs.domain, range: cs.range },
    legend: {
      title: null,
      symbolType: { expr: `${inList(cs.points)} ? 'circle' : 'stroke'` },
      symbolDash: { expr: `${inList(cs.dashed)} ? [${DASH.join(',')}] : [1, 0]` },
      symbolSize: { expr: `${inList(cs.points)} ? 50 : 260` },
    },
  };
}

function colorOf(cs: ColorScale, label: string): string {
  return cs.range[cs.domain.indexOf(label)] ?? PALETTE[0]!;
}

/** Layers of x–y series (bands under lines) on shared axes; non-finite points and, on log axes, points <= 0 are dropped. */
function seriesLayers(series: ReadonlyArray<XYSeries>, xa: Axis, ya: Axis, cs: ColorScale, clip: boolean, xDomain?: readonly [number, number], yDomain?: readonly [number, number]): VlSpec[] {
  const bands: VlSpec[] = [];
  const marks: VlSpec[] = [];
  const x = posEnc('x', xa, xDomain);
  const y = posEnc('y', ya, yDomain);
  for (const s of series) {
    checkLen(`series "${s.label}"`, s.x, s.y, 'x and y');
    const rows: VlSpec[] = [];
    for (let i = 0; i < s.x.length; i++) {
      const xv = s.x[i]!, yv = s.y[i]!;
      if (okValue(xv, xa.scale) && okValue(yv, ya.scale)) rows.push({ x: xv, y: yv, i, series: s.label });
    }
    if (s.band) {
      checkLen(`series "${s.label}" band`, s.band.lo, s.band.hi, 'lo and hi');
      checkLen(`series "${s.label}" band`, s.x, s.band.lo, 'x and lo');
      const brows: VlSpec[] = [];
      for (let i = 0; i < s.x.length; i++) {
        const xv = s.x[i]!, lo = s.band.lo[i]!, hi = s.band.hi[i]!;
        if (okValue(xv, xa.scale) && okValue(lo, ya.scale) && okValue(hi, ya.scale)) brows.push({ x: xv, lo, hi, series: s.label });
      }
      bands.push({
        data: { values: brows },
        mark: { type: 'area', opacity: 0.2, color: colorOf(cs, s.label), clip, ...(s.kind === 'step' ? { interpolate: 'step-after' } : {}) },
        encoding: { x, y: { ...posEnc('lo', ya, yDomain) }, y2: { field: 'hi' } },
      });
    }
    const kind = s.kind ?? 'line';
    const dash = s.dash ? { strokeDash: DASH } : {};
    let mark: VlSpec;
    if (kind === 'points') mark = { type: 'point', filled: true, size: 26, opacity: 0.85, clip };
    else if (kind === 'line+points') mark = { type: 'line', point: { filled: true, size: 26 }, clip, ...dash };
    else if (kind === 'step') mark = { type: 'line', interpolate: 'step-after', clip, ...dash };
    else mark = { type: 'line', clip, ...dash };
    // lines join points in the series' own order (vega-lite would sort them by x: a trajectory that turns back in x,
    // e.g. in a phase plane, must not be redrawn as a zig-zag)
    const order = kind === 'points' ? {} : { order: { field: 'i', type: 'quantitative' } };
    marks.push({ data: { values: rows }, mark, encoding: { x, y, color: colorEnc(cs), ...order } });
  }
  return [...bands, ...marks];
}

/** Reference lines with optional labels (vertical at x = value, horizontal at y = value). */
function ruleLayers(rules: ReadonlyArray<RuleMark>, xa: Axis, ya: Axis, xMid: number): VlSpec[] {
  const out: VlSpec[] = [];
  for (const r of rules) {
    const axis = r.kind === 'vrule' ? xa : ya;
    if (!okValue(r.value, axis.scale)) continue;
    const ch = r.kind === 'vrule' ? 'x' : 'y';
    const pos = { datum: r.value, type: 'quantitative', title: axis.label, scale: scaleOf(axis) };
    out.push({ data: { values: [{}] }, mark: { type: 'rule', color: '#555', strokeWidth: 1.2, ...(r.dash ? { strokeDash: DASH } : {}) }, encoding: { [ch]: pos } });
    if (r.label) {
      // a vertical rule's label sits on the side with more room (left of a rule in the right half of the x range)
      const left = r.value > xMid;
      const text = r.kind === 'vrule'
        ? { mark: { type: 'text', align: left ? 'right' : 'left', baseline: 'top', dx: left ? -4 : 4, dy: 4, fontSize: 11, color: '#333' }, encoding: { x: pos, y: { value: 0 }, text: { value: r.label } } }
        : { mark: { type: 'text', align: 'right', baseline: 'bottom', dx: -4, dy: -3, fontSize: 11, color: '#333' }, encoding: { y: pos, x: { value: PANEL_WIDTH }, text: { value: r.label } } };
      out.push({ data: { values: [{}] }, ...text });
    }
  }
  return out;
}

function emptyLayer(xa: Axis, ya: Axis): VlSpec {
  return { data: { values: [] }, mark: 'point', encoding: { x: posEnc('x', xa), y: posEnc('y', ya) } };
}

/** Placeholder domain for an axis with no drawable data (avoids empty/infinite scale extents). */
function fallbackDomain(axis: Axis): readonly [number, number] {
  return axis.domain ?? (isLog(axis.scale) ? [1, 10] : [0, 1]);
}

function anyPoint(series: ReadonlyArray<XYSeries>, xa: Axis, ya: Axis): boolean {
  for (const s of series) {
    for (let i = 0; i < Math.min(s.x.length, s.y.length); i++) if (okValue(s.x[i]!, xa.scale) && okValue(s.y[i]!, ya.scale)) return true;
  }
  return false;
}

function xyPanel(series: ReadonlyArray<XYSeries>, rules: ReadonlyArray<RuleMark>, xa0: Axis, ya0: Axis): VlSpec {
  // No drawable point at all: fix both domains so the empty panel still draws its axes cleanly.
  const empty = !anyPoint(series, xa0, ya0);
  const xa = empty ? { ...xa0, domain: fallbackDomain(xa0) } : xa0;
  const ya = empty ? { ...ya0, domain: fallbackDomain(ya0) } : ya0;
  const clip = xa.domain !== undefined || ya.domain !== undefined;
  const xs: number[] = [];
  for (const sr of series) for (let i = 0; i < sr.x.length; i++) if (okValue(sr.x[i]!, xa.scale)) xs.push(sr.x[i]!);
  const [x0, x1] = xa.domain ?? extent(xs);
  const xMid = isLog(xa.scale) && x0 > 0 && x1 > 0 ? Math.sqrt(x0 * x1) : (x0 + x1) / 2;
  const layers = [...seriesLayers(series, xa, ya, colorScale(series), clip), ...ruleLayers(rules, xa, ya, xMid)];
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer: layers.length ? layers : [emptyLayer(xa, ya)] };
}

/** Cell edges around centres: arithmetic midpoints (geometric on a log axis); half a spacing beyond the ends. */
export function cellEdges(c: ArrayLike<number>, scale: Scale | undefined): number[] {
  const n = c.length;
  const log = isLog(scale) && Array.from(c).every((v) => v > 0);
  const f = log ? Math.log : (v: number) => v;
  const g = log ? Math.exp : (v: number) => v;
  if (n === 0) return [];
  if (n === 1) return log ? [c[0]! / Math.SQRT2, c[0]! * Math.SQRT2] : [c[0]! - 0.5, c[0]! + 0.5];
  const e = new Array<number>(n + 1);
  for (let i = 1; i < n; i++) e[i] = g((f(c[i - 1]!) + f(c[i]!)) / 2);
  e[0] = g(f(c[0]!) - (f(c[1]!) - f(c[0]!)) / 2);
  e[n] = g(f(c[n - 1]!) + (f(c[n - 1]!) - f(c[n - 2]!)) / 2);
  return e;
}

function heatmapPanel(p: HeatmapPanel): VlSpec {
  const nx = p.x.values.length, ny = p.y.values.length;
  if (p.values.length !== nx * ny) throw new Error(`figure: heatmap "${p.title ?? p.colorLabel}": values has length ${p.values.length}, expected x.values.length·y.values.length = ${nx * ny}`);
  const ex = cellEdges(p.x.values, p.x.scale), ey = cellEdges(p.y.values, p.y.scale);
  const rows: VlSpec[] = [];
  for (let iy = 0; iy < ny; iy++) {
    for (let ix = 0; ix < nx; ix++) {
      const v = p.values[iy * nx + ix]!;
      if (!okValue(v, p.colorScale)) continue;
      rows.push({ x0: ex[ix], x1: ex[ix + 1], y0: ey[iy], y1: ey[iy + 1], v });
    }
  }
  const span = (e: number[]): [number, number] | undefined => (e.length ? [Math.min(e[0]!, e[e.length - 1]!), Math.max(e[0]!, e[e.length - 1]!)] : undefined);
  return {
    width: PANEL_WIDTH, height: PANEL_HEIGHT,
    data: { values: rows },
    mark: { type: 'rect', clip: true },
    encoding: {
      x: posEnc('x0', p.x, span(ex)), x2: { field: 'x1' },
      y: posEnc('y0', p.y, span(ey)), y2: { field: 'y1' },
      color: {
        field: 'v', type: 'quantitative', title: p.colorLabel,
        scale: { type: p.colorScale ?? 'linear', scheme: 'viridis', ...(rows.length ? {} : { domain: isLog(p.colorScale) ? [1, 10] : [0, 1] }) },
        legend: { title: p.colorLabel },
      },
    },
  };
}

function extent(vals: number[]): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (const v of vals) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(lo <= hi)) return [0, 1];
  if (lo === hi) return [lo - 1, hi + 1];
  return [lo, hi];
}

/** Typical spacing of arrow anchors along one axis: the grid step if the points form a grid, else range/√n. */
function anchorSpacing(v: number[], range: number, n: number, gridLike: boolean): number {
  const u = [...new Set(v)].sort((a, b) => a - b);
  if (u.length < 2) return Infinity;
  return gridLike ? range / (u.length - 1) : range / Math.sqrt(n);
}

function quiverPanel(p: QuiverPanel): VlSpec {
  const n = p.px.length;
  if (p.py.length !== n || p.dx.length !== n || p.dy.length !== n) {
    throw new Error(`figure: quiver "${p.title ?? ''}": px, py, dx, dy have lengths ${n}, ${p.py.length}, ${p.dx.length}, ${p.dy.length}; they must be equal`);
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) {
    if ([p.px[i]!, p.py[i]!, p.dx[i]!, p.dy[i]!].every(Number.isFinite)) idx.push(i);
  }
  const xs = idx.map((i) => p.px[i]!), ys = idx.map((i) => p.py[i]!);
  const [x0, x1] = extent(xs), [y0, y1] = extent(ys);
  const rx = x1 - x0, ry = y1 - y0;
  const m = idx.length;
  const gridLike = new Set(xs).size * new Set(ys).size <= 1.5 * m;
  const hx = anchorSpacing(xs, rx, m, gridLike) / rx, hy = anchorSpacing(ys, ry, m, gridLike) / ry;
  let maxMag = 0;
  for (const i of idx) maxMag = Math.max(maxMag, Math.hypot(p.dx[i]! / rx, p.dy[i]! / ry));
  // Longest arrow = 0.9 of an anchor cell in normalised (axis-fraction) units; 0.2 of the panel for a lone point.
  const cell = Math.min(hx, hy);
  const k = maxMag > 0 ? (0.9 * (Number.isFinite(cell) ? cell : 0.2)) / maxMag : 0;
  const arrows: VlSpec[] = [];
  const ends: number[][] = [[...xs], [...ys]];
  for (const i of idx) {
    const ax = p.px[i]!, ay = p.py[i]!, bx = ax + k * p.dx[i]!, by = ay + k * p.dy[i]!;
    ends[0]!.push(bx);
    ends[1]!.push(by);
    arrows.push({ x: ax, y: ay, x2: bx, y2: by, len: Math.hypot(p.dx[i]! / rx, p.dy[i]! / ry) });
  }
  for (const s of p.series ?? []) {
    for (let i = 0; i < s.x.length; i++) {
      if (Number.isFinite(s.x[i]!) && Number.isFinite(s.y[i]!)) {
        ends[0]!.push(s.x[i]!);
        ends[1]!.push(s.y[i]!);
      }
    }
  }
  const pad = (e: [number, number]): [number, number] => [e[0] - 0.03 * (e[1] - e[0]), e[1] + 0.03 * (e[1] - e[0])];
  const xd = p.x.domain ?? pad(extent(ends[0]!)), yd = p.y.domain ?? pad(extent(ends[1]!));
  // Screen angle of each head (vega 'triangle-up' rotated clockwise), from the final domains and panel size.
  const sx = PANEL_WIDTH / (xd[1] - xd[0]), sy = PANEL_HEIGHT / (yd[1] - yd[0]);
  for (const a of arrows) a['angle'] = (Math.atan2(((a['x2'] as number) - (a['x'] as number)) * sx, ((a['y2'] as number) - (a['y'] as number)) * sy) * 180) / Math.PI;
  const heads = arrows.filter((a) => (a['len'] as number) > 0);
  const x = posEnc('x', p.x, xd), y = posEnc('y', p.y, yd);
  const layers: VlSpec[] = [
    { data: { values: arrows }, mark: { type: 'rule', color: '#333', strokeWidth: 1, clip: true }, encoding: { x, y, x2: { field: 'x2' }, y2: { field: 'y2' } } },
    {
      data: { values: heads },
      mark: { type: 'point', shape: 'triangle-up', filled: true, color: '#333', size: 22, opacity: 1, clip: true },
      encoding: { x: { ...x, field: 'x2' }, y: { ...y, field: 'y2' }, angle: { field: 'angle', type: 'quantitative', scale: null } },
    },
  ];
  const series = p.series ?? [];
  if (series.length) layers.push(...seriesLayers(series, p.x, p.y, colorScale(series), true, xd, yd));
  return { width: PANEL_WIDTH, height: PANEL_HEIGHT, layer: layers };
}

function tablePanel(p: TablePanel): VlSpec {
  const cols = p.columns;
  const values: VlSpec[] = [];
  // widths in px: about 7 per character of an 11-px cell, 8 of a bold header label
  let widest = 6 * 7;
  for (const c of cols) widest = Math.max(widest, c.length * 8);
  p.rows.forEach((row, r) => {
    if (row.length !== cols.length) throw new Error(`figure: table "${p.title ?? ''}": row ${r} has ${row.length} cells, expected ${cols.length} (one per column)`);
    row.forEach((cell, c) => {
      const t = formatValue(cell);
      widest = Math.max(widest, t.length * 7);
      values.push({ r, c: cols[c], t });
    });
  });
  const colWidth = Math.min(220, widest + 24);
  return {
    width: Math.max(1, cols.length) * colWidth,
    height: Math.max(1, p.rows.length) * 20,
    view: { stroke: null },
    data: { values },
    mark: { type: 'text', fontSize: 11, color: '#111' },
    encoding: {
      x: { field: 'c', type: 'ordinal', sort: [...cols], scale: { domain: [...cols] }, axis: { orient: 'top', title: null, labelAngle: 0, domain: false, ticks: false, labelFontWeight: 'bold', labelLimit: colWidth, labelPadding: 6 } },
      y: { field: 'r', type: 'ordinal', axis: null },
      text: { field: 't' },
    },
  };
}

/** vega-lite view for one panel (no title). */
export function panelToVegaLite(p: Panel): VlSpec {
  switch (p.kind) {
    case 'heatmap':
      return heatmapPanel(p);
    case 'quiver':
      return quiverPanel(p);
    case 'table':
      return tablePanel(p);
    default:
      return xyPanel(p.series, p.rules ?? [], p.x, p.y);
  }
}

/**
 * The vega-lite spec of a figure: one view per panel, laid out in `columns` columns (default: one row of
 * up to 3), each panel with its own scales and legend. The caption is not drawn (the HTML shows it).
 */
export function figureToVegaLite(fig: FigureSpec): VlSpec {
  const base = { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: VL_CONFIG };
  if (fig.panels.length === 0) throw new Error(`figure "${fig.title}": has no panels`);
  if (fig.panels.length === 1) {
    const p = fig.panels[0]!;
    const title = p.title ? { text: fig.title, subtitle: p.title } : { text: fig.title };
    return { ...base, title, ...panelToVegaLite(p) };
  }
  const columns = Math.max(1, Math.floor(fig.columns ?? Math.min(3, fig.panels.length)));
  return {
    ...base,
    title: { text: fig.title },
    columns,
    concat: fig.panels.map((p) => ({ ...(p.title ? { title: { text: p.title, fontSize: 13, fontWeight: 'normal', anchor: 'middle' } } : {}), ...panelToVegaLite(p) })),
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  };
}
