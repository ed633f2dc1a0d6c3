// Declarative figure description: data plus axes, no drawing. Renderers (SVG/PNG for reports, canvas in the lab) consume it.

/** Axis scale. 'symlog' is symmetric-log (linear near zero). */
export type Scale = 'linear' | 'log' | 'symlog';

/** An axis: label (with units), scale and optional fixed domain. */
export interface Axis {
  readonly label: string;
  readonly scale?: Scale;
  readonly domain?: readonly [number, number];
}

/** One x–y series. `band` draws a shaded interval (e.g. a 95% CI or a spread over seeds) around it. */
export interface XYSeries {
  /** 'line' (default), 'points', 'line+points' or 'step'. */
  readonly kind?: 'line' | 'points' | 'line+points' | 'step';
  readonly label: string;
  readonly x: ArrayLike<number>;
  readonly y: ArrayLike<number>;
  readonly band?: { readonly lo: ArrayLike<number>; readonly hi: ArrayLike<number> };
  /** Dashed stroke. */
  readonly dash?: boolean;
  /** CSS colour; the renderer picks a palette colour when absent. */
  readonly color?: string;
}

/** A vertical (x = value) or horizontal (y = value) reference line. */
export interface RuleMark {
  readonly kind: 'vrule' | 'hrule';
  readonly value: number;
  readonly label?: string;
  readonly dash?: boolean;
}

/** A panel of x–y series sharing axes. */
export interface XYPanel {
  readonly kind?: 'xy';
  readonly title?: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: ReadonlyArray<XYSeries>;
  readonly rules?: ReadonlyArray<RuleMark>;
}

/** A heat map over a regular grid: values[iy * x.length + ix] at (x[ix], y[iy]). */
export interface HeatmapPanel {
  readonly kind: 'heatmap';
  readonly title?: string;
  readonly x: Axis & { readonly values: ArrayLike<number> };
  readonly y: Axis & { readonly values: ArrayLike<number> };
  readonly values: ArrayLike<number>;
  readonly colorLabel: string;
  readonly colorScale?: Scale;
}

/** A vector field: arrows (dx, dy) at points (x, y), optionally overlaid with x–y series. */
export interface QuiverPanel {
  readonly kind: 'quiver';
  readonly title?: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly px: ArrayLike<number>;
  readonly py: ArrayLike<number>;
  readonly dx: ArrayLike<number>;
  readonly dy: ArrayLike<number>;
  readonly series?: ReadonlyArray<XYSeries>;
}

/** A table of values shown beside or instead of a plot. */
export interface TablePanel {
  readonly kind: 'table';
  readonly title?: string;
  readonly columns: ReadonlyArray<string>;
  readonly rows: ReadonlyArray<ReadonlyArray<string | number>>;
}

export type Panel = XYPanel | HeatmapPanel | QuiverPanel | TablePanel;

/** A figure: one or more panels laid out in `columns` columns (default: all in one row, up to 3). */
export interface FigureSpec {
  readonly title: string;
  readonly caption?: string;
  readonly panels: ReadonlyArray<Panel>;
  readonly columns?: number;
}
