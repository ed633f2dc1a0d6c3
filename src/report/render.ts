// Figure rendering: FigureSpec -> vega-lite -> vega View (renderer 'none') -> SVG; SVG -> PNG with resvg (Node).
import { View, parse, None, type LoggerInterface } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { FigureSpec } from '../experiments/figure-spec.js';
import { figureToVegaLite } from './vega-spec.js';

/** A logger that collects vega / vega-lite messages instead of printing them (methods work unbound: vega calls them so). */
function collectingLogger(messages: string[]): LoggerInterface {
  let lvl = 2;
  const logger: LoggerInterface = {
    level: (l?: number) => {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error: (...args: unknown[]) => {
      messages.push(`error: ${args.map(String).join(' ')}`);
      return logger;
    },
    warn: (...args: unknown[]) => {
      messages.push(`warn: ${args.map(String).join(' ')}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger;
}

/** An SVG rendering with the vega/vega-lite warnings it produced. */
export interface SvgResult {
  readonly svg: string;
  readonly warnings: readonly string[];
}

/**
 * Renders a figure to a standalone SVG string (white background, DejaVu Sans). Non-finite values are
 * dropped, and so are values <= 0 on log axes. Throws on an inconsistent spec (e.g. x and y of different
 * lengths), naming the series.
 */
export async function renderSvg(fig: FigureSpec): Promise<SvgResult> {
  const messages: string[] = [];
  const logger = collectingLogger(messages);
  const vl = figureToVegaLite(fig);
  // The builder emits plain JSON; vega-lite's own types are too deep to construct by hand.
  const { spec } = compile(vl as unknown as TopLevelSpec, { logger });
  const view = new View(parse(spec), { renderer: 'none', logLevel: None, logger });
  try {
    const svg = await view.toSVG();
    return { svg, warnings: messages };
  } finally {
    view.finalize();
  }
}

type ResvgModule = typeof import('@resvg/resvg-js');
let resvgModule: Promise<ResvgModule> | undefined;

/**
 * Rasterises an SVG to PNG bytes with resvg at `zoom`× the SVG size (default 2, for sharp figures on
 * high-density screens and in print). Fonts: the system fonts, DejaVu Sans when a family is missing.
 * Node only (native module, loaded on first use).
 */
export async function svgToPng(svg: string, zoom = 2): Promise<Uint8Array> {
  resvgModule ??= import('@resvg/resvg-js');
  const { Resvg } = await resvgModule;
  const r = new Resvg(svg, { font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' }, fitTo: { mode: 'zoom', value: zoom }, background: 'white' });
  return new Uint8Array(r.render().asPng());
}

/** SVG and PNG of one figure. */
export interface RenderedFigure {
  readonly svg: string;
  readonly png: Uint8Array;
  readonly warnings: readonly string[];
}

/** Renders a figure to SVG and PNG. */
export async function renderFigure(fig: FigureSpec, zoom = 2): Promise<RenderedFigure> {
  const { svg, warnings } = await renderSvg(fig);
  return { svg, png: await svgToPng(svg, zoom), warnings };
}
