// Tests of figure rendering: every panel kind to SVG and PNG, dropping of non-finite / non-positive-on-log values, quiver geometry.
import { describe, expect, it } from 'vitest';
import type { FigureSpec, QuiverPanel } from '../experiments/figure-spec.js';
import { renderFigure, renderSvg, svgToPng } from './render.js';
import { PANEL_HEIGHT, PANEL_WIDTH, cellEdges, figureToVegaLite, panelToVegaLite, type VlSpec } from './vega-spec.js';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function expectSvg(svg: string, texts: string[]): void {
  expect(svg.startsWith('<svg')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  for (const t of texts) expect(svg.includes(t), `SVG should contain ${JSON.stringify(t)}`).toBe(true);
}

function expectPng(png: Uint8Array): void {
  expect(Array.from(png.subarray(0, 8))).toEqual(PNG_SIGNATURE);
  expect(png.length).toBeGreaterThan(1000);
}

/** PNG width and height from the IHDR chunk. */
function pngSize(png: Uint8Array): [number, number] {
  const dv = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return [dv.getUint32(16), dv.getUint32(20)];
}

function layerValues(spec: VlSpec, i: number): Array<Record<string, number>> {
  return (((spec['layer'] as VlSpec[])[i]!['data'] as VlSpec)['values']) as Array<Record<string, number>>;
}

const x = [0.5, 1, 2, 4, 8];

describe('renderFigure: every panel kind', () => {
  it('xy: line, points, line+points, step, band, dash, colour, rules with labels, log axis', async () => {
    const fig: FigureSpec = {
      title: 'XY figure',
      panels: [{
        title: 'errors',
        x: { label: 'reservoir size N', scale: 'log' },
        y: { label: 'NRMSE', scale: 'symlog' },
        series: [
          { label: 'ridge', x, y: [1, 0.5, 0.3, 0.2, 0.1], band: { lo: [0.9, 0.4, 0.2, 0.1, 0.05], hi: [1.1, 0.6, 0.4, 0.3, 0.2] } },
          { label: 'pinv', kind: 'points', x, y: [2, 1, 0.8, 0.5, 0.4], color: '#000000' },
          { label: 'rls', kind: 'line+points', x, y: [1.5, 1, 0.5, 0.3, 0.2], dash: true },
          { label: 'lms', kind: 'step', x, y: [3, 2, 2, 1, 1] },
        ],
        rules: [{ kind: 'vrule', value: 2, label: 'N = 2', dash: true }, { kind: 'hrule', value: 0.25, label: 'target' }],
      }],
    };
    const r = await renderFigure(fig);
    expectSvg(r.svg, ['XY figure', 'errors', 'reservoir size N', 'NRMSE', 'ridge', 'pinv', 'rls', 'lms', 'N = 2', 'target']);
    expect(r.svg).toContain('stroke-dasharray');
    expectPng(r.png);
    // zoom 2: the PNG is twice the SVG's size.
    const w = Number(/width="(\d+)"/.exec(r.svg)![1]), h = Number(/height="(\d+)"/.exec(r.svg)![1]);
    expect(pngSize(r.png)).toEqual([2 * w, 2 * h]);
    expect(r.warnings).toEqual([]);
  });

  it('heatmap, quiver (with an overlaid series) and table panels in a 2-column grid', async () => {
    const fig: FigureSpec = {
      title: 'Grid figure',
      columns: 2,
      panels: [
        { kind: 'heatmap', title: 'loss landscape', x: { label: 'pole a', values: [0, 1, 2] }, y: { label: 'pole b', scale: 'log', values: [0.1, 1] }, values: [1, 2, 3, 4, 5, 6], colorLabel: 'loss L', colorScale: 'log' },
        { kind: 'quiver', title: 'flow', x: { label: 'theta 1' }, y: { label: 'theta 2' }, px: [0, 1, 0, 1], py: [0, 0, 1, 1], dx: [1, 0, -1, 0], dy: [0, 1, 0, -1], series: [{ label: 'trajectory', x: [0, 0.5, 1], y: [0, 0.2, 1] }] },
        { kind: 'table', title: 'results', columns: ['method', 'NRMSE', 'epochs'], rows: [['BPTT', 0.012345, 100], ['RFLO', NaN, 1e7]] },
      ],
    };
    const r = await renderFigure(fig);
    expectSvg(r.svg, ['Grid figure', 'loss landscape', 'pole a', 'pole b', 'loss L', 'flow', 'theta 1', 'theta 2', 'trajectory', 'results', 'method', 'NRMSE', 'BPTT', '0.01235', 'NaN', '10000000']);
    expectPng(r.png);
    expect(r.warnings).toEqual([]);
    // Grid: 2 columns -> the table sits in a second row: below the first row of panels.
    const tableGroup = /concat_2_group[^>]*><g transform="translate\(0,(\d+)\)"/.exec(r.svg);
    expect(Number(tableGroup![1])).toBeGreaterThan(PANEL_HEIGHT);
  });

  it('non-finite values, empty series and log axes with values <= 0 do not crash', async () => {
    const fig: FigureSpec = {
      title: 'Bad values',
      panels: [
        { x: { label: 'x', scale: 'log' }, y: { label: 'y', scale: 'log' }, series: [{ label: 'mixed', x: [-1, 0, 1, 2, NaN, 3], y: [1, 1, Infinity, 0, 2, -Infinity] }, { label: 'empty', x: [], y: [] }], rules: [{ kind: 'vrule', value: 0 }, { kind: 'hrule', value: NaN }] },
        { kind: 'heatmap', x: { label: 'a', values: [0, 1] }, y: { label: 'b', values: [0, 1] }, values: [NaN, NaN, NaN, NaN], colorLabel: 'all NaN' },
        { kind: 'quiver', x: { label: 'p' }, y: { label: 'q' }, px: [0, NaN], py: [0, 1], dx: [0, 1], dy: [0, Infinity] },
      ],
    };
    const r = await renderFigure(fig);
    expectSvg(r.svg, ['Bad values', 'mixed', 'all NaN']);
    expectPng(r.png);
    expect(r.warnings).toEqual([]);
  });

  it('an inconsistent spec throws naming the series', async () => {
    await expect(renderSvg({ title: 't', panels: [{ x: { label: 'x' }, y: { label: 'y' }, series: [{ label: 'short y', x: [1, 2, 3], y: [1, 2] }] }] }))
      .rejects.toThrow('figure: series "short y": x and y have lengths 3 and 2; they must be equal');
    await expect(renderSvg({ title: 't', panels: [{ kind: 'heatmap', x: { label: 'x', values: [1, 2] }, y: { label: 'y', values: [1] }, values: [1], colorLabel: 'c' }] }))
      .rejects.toThrow('values has length 1, expected x.values.length·y.values.length = 2');
    await expect(renderSvg({ title: 'empty', panels: [] })).rejects.toThrow('has no panels');
  });

  it('svgToPng honours the zoom factor', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="red"/></svg>';
    expect(pngSize(await svgToPng(svg, 3))).toEqual([120, 90]);
  });
});

describe('vega-lite spec', () => {
  it('drops non-finite points, and points <= 0 on log axes', () => {
    const spec = panelToVegaLite({ x: { label: 'x', scale: 'log' }, y: { label: 'y' }, series: [{ label: 's', x: [-1, 0, 1, 2, 3, 4], y: [5, 5, 5, NaN, Infinity, 6] }] });
    expect(layerValues(spec, 0)).toEqual([{ x: 1, y: 5, i: 2, series: 's' }, { x: 4, y: 6, i: 5, series: 's' }]);
    const lin = panelToVegaLite({ x: { label: 'x' }, y: { label: 'y', scale: 'log' }, series: [{ label: 's', x: [-1, 0, 1], y: [1, -2, 0] }] });
    expect(layerValues(lin, 0)).toEqual([{ x: -1, y: 1, i: 0, series: 's' }]);
  });

  it('lines join their points in the series order, not sorted by x (a trajectory that turns back in x)', () => {
    const spec = panelToVegaLite({ x: { label: 'u' }, y: { label: 'v' }, series: [
      { label: 'loop', x: [0, 1, 0.5, -1], y: [0, 1, 2, 1] },
      { label: 'dots', x: [2, 1], y: [0, 1], kind: 'points' },
    ] });
    const layers = spec['layer'] as VlSpec[];
    expect((layers[0]!['encoding'] as Record<string, VlSpec>)['order']).toEqual({ field: 'i', type: 'quantitative' });
    expect(layerValues(spec, 0).map((r) => r['i'])).toEqual([0, 1, 2, 3]);
    expect((layers[1]!['encoding'] as Record<string, VlSpec>)['order']).toBeUndefined();
  });

  it('explicit colours win, the others take palette colours in order; fixed domains are used unmodified', () => {
    const spec = panelToVegaLite({ x: { label: 'x', domain: [0, 10] }, y: { label: 'y' }, series: [{ label: 'a', x: [1], y: [1] }, { label: 'b', x: [1], y: [1], color: 'red' }, { label: 'c', x: [1], y: [1] }] });
    const enc = (spec['layer'] as VlSpec[])[0]!['encoding'] as Record<string, VlSpec>;
    expect((enc['color']!['scale'] as VlSpec)).toEqual({ domain: ['a', 'b', 'c'], range: ['#4e79a7', 'red', '#f28e2b'] });
    expect(enc['x']!['scale']).toEqual({ type: 'linear', zero: false, domain: [0, 10], nice: false });
  });

  it('columns: default one row of up to 3 panels; explicit columns respected', () => {
    const p = { x: { label: 'x' }, y: { label: 'y' }, series: [] };
    expect(figureToVegaLite({ title: 't', panels: [p, p, p, p] })['columns']).toBe(3);
    expect(figureToVegaLite({ title: 't', panels: [p, p] })['columns']).toBe(2);
    expect(figureToVegaLite({ title: 't', panels: [p, p, p, p], columns: 1 })['columns']).toBe(1);
    expect(figureToVegaLite({ title: 't', panels: [p] })['concat']).toBeUndefined();
  });

  it('heatmap cell edges: midpoints (geometric on log axes), half a step beyond the ends', () => {
    expect(cellEdges([0, 1, 3], 'linear')).toEqual([-0.5, 0.5, 2, 4]);
    const e = cellEdges([1, 10, 100], 'log');
    const expected = [10 ** -0.5, 10 ** 0.5, 10 ** 1.5, 10 ** 2.5];
    // exp/log round trips: within a few ulps.
    e.forEach((v, i) => expect(Math.abs(v - expected[i]!) / expected[i]!).toBeLessThan(1e-14));
    expect(cellEdges([2], 'linear')).toEqual([1.5, 2.5]);
  });

  it('quiver: longest arrow is 0.9 of a grid cell; head angles point along the arrows on screen', () => {
    const panel: QuiverPanel = { kind: 'quiver', x: { label: 'x', domain: [-1, 2] }, y: { label: 'y', domain: [-1, 2] }, px: [0, 1, 0, 1], py: [0, 0, 1, 1], dx: [2, 0, -1, 1], dy: [0, 1, 0, 1] };
    const spec = panelToVegaLite(panel);
    const arrows = layerValues(spec, 0);
    // Anchors form a 2×2 grid with step 1 over a range of 1 in x and y: cell = 1 in normalised units.
    // Largest normalised magnitude is 2 (the first arrow), so k = 0.9/2 and that arrow spans 0.9.
    expect(arrows[0]!['x2']! - arrows[0]!['x']!).toBeCloseTo(0.9, 12);
    for (const a of arrows) expect(Math.hypot(a['x2']! - a['x']!, a['y2']! - a['y']!)).toBeLessThanOrEqual(0.9 + 1e-12);
    const heads = layerValues(spec, 1);
    // Screen angle, clockwise from up: +x -> 90°, +y -> 0°, -x -> -90°; the diagonal uses the panel's aspect.
    expect(heads[0]!['angle']).toBeCloseTo(90, 10);
    expect(heads[1]!['angle']).toBeCloseTo(0, 10);
    expect(heads[2]!['angle']).toBeCloseTo(-90, 10);
    expect(heads[3]!['angle']).toBeCloseTo((Math.atan2(PANEL_WIDTH / 3, PANEL_HEIGHT / 3) * 180) / Math.PI, 10);
  });

  it('table cells are formatted numbers and a ragged row is refused', () => {
    const spec = panelToVegaLite({ kind: 'table', columns: ['a', 'b'], rows: [[1.23456789, 'x'], [-Infinity, 2e-9]] });
    expect(((spec['data'] as VlSpec)['values'] as VlSpec[]).map((v) => v['t'])).toEqual(['1.235', 'x', '−∞', '2e-9']);
    expect(() => panelToVegaLite({ kind: 'table', title: 'r', columns: ['a', 'b'], rows: [[1]] })).toThrow('row 0 has 1 cells, expected 2');
  });
});
