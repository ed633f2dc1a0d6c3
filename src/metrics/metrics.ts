// Error metrics of predictions: MSE, NMSE and NRMSE (reservoir-computing convention), real and complex (|·|²).
//
// For targets y and predictions ŷ of shape T×O (a vector is T×1), e = y − ŷ:
//   MSE   = (1/(T·O)) Σ_{t,j} |e_tj|²
//   NMSE  = Σ |e_tj|² / Σ |y_tj − ȳ_j|²      (normalize 'variance', default: ȳ_j the column mean, i.e. MSE / var(y))
//         = Σ |e_tj|² / Σ |y_tj|²            (normalize 'power': the wireless convention, docs/theory/networks.md §7.2)
//   NRMSE = √NMSE = √(mean((y − ŷ)²) / var(y)) (population variance, 1/T).
// Several outputs are pooled (sums over all columns); `perOutput: true` returns one value per column instead.
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import type { CMat, CVec, Mat, Vec } from '../core/types.js';

/** Targets or predictions: a T×O matrix or a length-T vector, real or complex. */
export type MetricData = Mat | CMat | Vec | CVec;

/** Options of the metrics. */
export interface MetricOptions {
  /** Return one value per output column (a Float64Array of length O) instead of the pooled value. */
  readonly perOutput?: boolean;
  /** NMSE/NRMSE denominator: 'variance' (default, around column means) or 'power' (raw Σ|y|²). */
  readonly normalize?: 'variance' | 'power';
}

interface View { rows: number; cols: number; re: Float64Array; im: Float64Array | null }

function view(where: string, field: string, x: MetricData): View {
  if (x instanceof Float64Array) return { rows: x.length, cols: 1, re: x, im: null };
  if (typeof x !== 'object' || x === null) throw new InputError(field, `${where}: ${field} = ${describeValue(x)}: must be a Mat, CMat, Float64Array or CVec`);
  if ('rows' in x) {
    if ('re' in x) return { rows: x.rows, cols: x.cols, re: x.re, im: x.im };
    return { rows: x.rows, cols: x.cols, re: x.data, im: null };
  }
  if ((x as CVec).re instanceof Float64Array && (x as CVec).im instanceof Float64Array) return { rows: x.re.length, cols: 1, re: x.re, im: x.im };
  throw new InputError(field, `${where}: ${field} = ${describeValue(x)}: must be a Mat, CMat, Float64Array or CVec`);
}

/** Per-column sums of |e|² (index 0..O−1) and of the denominator, in one pass each. */
function sums(where: string, y: MetricData, yhat: MetricData, normalize: 'variance' | 'power' | null): { err: Float64Array; den: Float64Array; rows: number } {
  const a = view(where, 'y', y), b = view(where, 'yhat', yhat);
  if (a.rows !== b.rows || a.cols !== b.cols) throw new ShapeError('yhat', `${where}: y is ${a.rows}×${a.cols} but yhat is ${b.rows}×${b.cols}`);
  if (a.rows < 1 || a.cols < 1) throw new ShapeError('y', `${where}: y is ${a.rows}×${a.cols}: needs at least one row and one column`);
  const { rows: T, cols: O } = a;
  const err = new Float64Array(O), den = new Float64Array(O);
  for (let t = 0; t < T; t++) for (let j = 0; j < O; j++) {
    const k = t * O + j;
    const dr = a.re[k]! - b.re[k]!, di = (a.im === null ? 0 : a.im[k]!) - (b.im === null ? 0 : b.im[k]!);
    err[j]! += dr * dr + di * di;
  }
  if (normalize !== null) {
    const mr = new Float64Array(O), mi = new Float64Array(O);
    if (normalize === 'variance') {
      for (let t = 0; t < T; t++) for (let j = 0; j < O; j++) { mr[j]! += a.re[t * O + j]!; if (a.im !== null) mi[j]! += a.im[t * O + j]!; }
      for (let j = 0; j < O; j++) { mr[j]! /= T; mi[j]! /= T; }
    }
    for (let t = 0; t < T; t++) for (let j = 0; j < O; j++) {
      const k = t * O + j;
      const cr = a.re[k]! - mr[j]!, ci = (a.im === null ? 0 : a.im[k]!) - mi[j]!;
      den[j]! += cr * cr + ci * ci;
    }
  }
  for (let j = 0; j < O; j++) {
    if (!Number.isFinite(err[j]!) || !Number.isFinite(den[j]!)) throw nonFinite(where, a, b, j);
  }
  return { err, den, rows: T };
}

/** The InputError for a non-finite sum in column j: names y or yhat and the first offending entry (failure path only). */
function nonFinite(where: string, a: View, b: View, j: number): InputError {
  for (const [field, v] of [['y', a], ['yhat', b]] as const) {
    for (const [part, arr] of [['', v.re], ['.im', v.im]] as const) {
      if (arr === null) continue;
      for (let t = 0; t < v.rows; t++) {
        const x = arr[t * v.cols + j]!;
        if (!Number.isFinite(x)) return new InputError(field, `${where}: ${field}${part} at row ${t}, column ${j} = ${describeValue(x)}: entries must be finite`);
      }
    }
  }
  return new InputError('y', `${where}: the error sum of column ${j} overflowed: y and yhat entries are too large`);
}

const METRIC_OPTIONS: readonly string[] = ['perOutput', 'normalize'];

function checkOpts(where: string, opts: MetricOptions): void {
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) throw new InputError('opts', `${where}: opts = ${describeValue(opts)}: must be an object or omitted`);
  for (const k of Object.keys(opts)) {
    if (!METRIC_OPTIONS.includes(k)) throw new InputError(k, `${where}: unknown option "${k}"; allowed: ${METRIC_OPTIONS.join(', ')}`);
  }
  if (opts.perOutput !== undefined && typeof opts.perOutput !== 'boolean') throw new InputError('perOutput', `${where}: perOutput = ${describeValue(opts.perOutput)}: must be true or false`);
  if (opts.normalize !== undefined && opts.normalize !== 'variance' && opts.normalize !== 'power') {
    throw new InputError('normalize', `${where}: normalize = ${describeValue(opts.normalize)}: must be 'variance' or 'power'`);
  }
}

/** Mean squared error (1/(T·O)) Σ|y − ŷ|²; per column with `perOutput`. */
export function mse(y: MetricData, yhat: MetricData, opts: MetricOptions & { perOutput: true }): Float64Array;
export function mse(y: MetricData, yhat: MetricData, opts?: MetricOptions & { perOutput?: false }): number;
export function mse(y: MetricData, yhat: MetricData, opts?: MetricOptions): number | Float64Array;
export function mse(y: MetricData, yhat: MetricData, opts: MetricOptions = {}): number | Float64Array {
  checkOpts('mse', opts);
  const { err, rows } = sums('mse', y, yhat, null);
  if (opts.perOutput === true) return err.map((e) => e / rows);
  let s = 0;
  for (const e of err) s += e;
  return s / (rows * err.length);
}

/**
 * Normalised MSE: Σ|y − ŷ|² / Σ|y − ȳ|² (normalize 'variance', = MSE/var(y)) or / Σ|y|² ('power').
 * Throws InputError when the denominator is zero (constant or zero target).
 */
export function nmse(y: MetricData, yhat: MetricData, opts: MetricOptions & { perOutput: true }): Float64Array;
export function nmse(y: MetricData, yhat: MetricData, opts?: MetricOptions & { perOutput?: false }): number;
export function nmse(y: MetricData, yhat: MetricData, opts?: MetricOptions): number | Float64Array;
export function nmse(y: MetricData, yhat: MetricData, opts: MetricOptions = {}): number | Float64Array {
  return normalised('nmse', y, yhat, opts, false);
}

/** Normalised RMSE = √NMSE = √(mean((y − ŷ)²)/var(y)) (the reservoir-computing convention). */
export function nrmse(y: MetricData, yhat: MetricData, opts: MetricOptions & { perOutput: true }): Float64Array;
export function nrmse(y: MetricData, yhat: MetricData, opts?: MetricOptions & { perOutput?: false }): number;
export function nrmse(y: MetricData, yhat: MetricData, opts?: MetricOptions): number | Float64Array;
export function nrmse(y: MetricData, yhat: MetricData, opts: MetricOptions = {}): number | Float64Array {
  return normalised('nrmse', y, yhat, opts, true);
}

function normalised(where: string, y: MetricData, yhat: MetricData, opts: MetricOptions, root: boolean): number | Float64Array {
  checkOpts(where, opts);
  const norm = opts.normalize ?? 'variance';
  const { err, den } = sums(where, y, yhat, norm);
  const what = norm === 'variance' ? 'zero variance' : 'zero power';
  const f = (e: number, d: number, col: string): number => {
    if (!(d > 0)) throw new InputError('y', `${where}: y has ${what}${col}: ${where.toUpperCase()} is undefined`);
    return root ? Math.sqrt(e / d) : e / d;
  };
  if (opts.perOutput === true) return err.map((e, j) => f(e, den[j]!, ` in column ${j}`));
  let se = 0, sd = 0;
  for (let j = 0; j < err.length; j++) { se += err[j]!; sd += den[j]!; }
  return f(se, sd, '');
}
