// Ridge readout from summable least-squares statistics (HᵀH, HᵀY, column sums, count), real and complex (Hᴴ).
//
// Spec: docs/theory/networks.md §5.1 (W_out = Y Hᴴ (H Hᴴ + λI)⁻¹ with states as columns; here states are rows,
// so X = (HᴴH + λI)⁻¹ HᴴY and W_out = Xᵀ), docs/theory/networks.md §5.3 (λ = λ_rel · tr(HᴴH)/N; solve by Cholesky, never an
// explicit inverse). The map-reduce shape follows ReservoirPy's Ridge worker/master: per-sequence statistics are
// summed, centred for the bias and solved once, so fitting many sequences equals fitting their concatenation.
//
// Objective (bias = true): ‖Y − H W_outᵀ − 1 bᵀ‖² + λ‖W_out‖²_F; the bias is NOT regularised, which is the same as
// solving with the centred statistics HᴴH − n h̄*h̄ᵀ, HᴴY − n h̄*ȳᵀ and b = ȳ − W_out h̄.
//
// Solvers. Cholesky on HᴴH + λI is the fast path. On nearly collinear states (saturated tanh reservoirs) in large
// units, the rounding level of the computed HᴴH (≈ eps·‖HᴴH‖) can exceed λ; HᴴH + λI is then indefinite in
// floating point although the ridge problem is well posed, and Cholesky breaks down or leaves a pivot at rounding
// level. Then fitRidge solves from the SVD of the states, X = V diag(s/(s² + λ)) Uᴴ Y (Golub & Van Loan, ch. 6:
// the filter-factor form of Tikhonov regularisation), which never forms HᴴH; solveRidge, which only has the
// statistics, uses the eigendecomposition of HᴴH with negative (rounding) eigenvalues clipped to 0. Every fit
// says which one ran (`solver`).
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import { cmat, isCMat, mat, type CMat, type CSeqBatch, type CVec, type Mat, type SeqBatch, type Vec } from '../core/types.js';
import { cholesky, choleskySolveWith } from '../linalg/cholesky.js';
import { eigh } from '../linalg/eigh.js';
import { defaultRcond, numericalRank } from '../linalg/pinv.js';
import { svd } from '../linalg/svd.js';
import { defaultBackend, resolveBackend, type Backend } from '../backend/index.js';
import { checkMatShape, checkObject } from '../core/guards.js';

/** Real least-squares statistics: hth = HᵀH (N×N), hty = HᵀY (N×O), hSum/ySum column sums, count rows. */
export interface LsqStats {
  readonly hth: Mat;
  readonly hty: Mat;
  readonly hSum: Vec;
  readonly ySum: Vec;
  readonly count: number;
}

/** Complex least-squares statistics: hth = HᴴH (Hermitian), hty = HᴴY, column sums, count rows. */
export interface CLsqStats {
  readonly hth: CMat;
  readonly hty: CMat;
  readonly hSum: CVec;
  readonly ySum: CVec;
  readonly count: number;
}

/** States or targets accepted by the batch readouts: one sequence (T×D) or a batch (B, T, D), real or complex. */
export type LsqData = Mat | CMat | SeqBatch | CSeqBatch;

/**
 * Which solver produced a ridge fit: "cholesky" (the normal equations, the fast path), or a fallback used when
 * Cholesky fails numerically — "svd" (the SVD of the states, {@link fitRidge}) or "eigh" (the eigendecomposition
 * of the statistics' Gram matrix, {@link solveRidge}).
 */
export type RidgeSolver = 'cholesky' | 'svd' | 'eigh';

/** A ridge solution: Y ≈ H W_outᵀ (+ 1 bᵀ). `lambda` is the regularisation actually used, `solver` the method. */
export interface RidgeFit { readonly Wout: Mat; readonly bias?: Vec; readonly lambda: number; readonly solver: RidgeSolver }
/** A complex ridge solution. */
export interface CRidgeFit { readonly Wout: CMat; readonly bias?: CVec; readonly lambda: number; readonly solver: RidgeSolver }

/** Options of {@link solveRidge}: give exactly one of `lambda` and `lambdaRel`. */
export interface RidgeSolveOptions {
  /** Ridge parameter λ ≥ 0 (absolute). */
  readonly lambda?: number;
  /** Relative ridge parameter: λ = lambdaRel · tr(A)/N, A = the (centred, when bias) Gram matrix (docs/theory/networks.md §5.3). */
  readonly lambdaRel?: number;
  /** Fit an unregularised intercept b (default false). */
  readonly bias?: boolean;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Options of {@link fitRidge}. */
export interface RidgeFitOptions extends RidgeSolveOptions {
  /** Rows dropped at the start of each sequence (default 0). */
  readonly washout?: number;
}

/** Options of {@link ridgeStats}. */
export interface RidgeStatsOptions {
  /** Rows dropped at the start of each sequence (default 0). */
  readonly washout?: number;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** A sequence batch view of H or Y: rows of sequence b are b·steps .. (b+1)·steps − 1. */
export interface LsqView {
  readonly batch: number;
  readonly steps: number;
  readonly dim: number;
  readonly re: Float64Array;
  readonly im: Float64Array | null;
}

/**
 * @internal Views H or Y as a (batch, steps, dim) array pair, validating storage and (unless `finite` is false,
 * for callers that check their results instead: {@link ridgeStats}) that every value is finite.
 */
export function lsqView(where: string, field: string, x: LsqData, finite = true): LsqView {
  if (typeof x !== 'object' || x === null) throw new InputError(field, `${where}: ${field} = ${describeValue(x)}: must be a Mat, CMat, SeqBatch or CSeqBatch`);
  const seq = 'batch' in x && 'steps' in x;
  const complex = 're' in x;
  const v: LsqView = seq
    ? { batch: x.batch, steps: x.steps, dim: x.dim, re: complex ? (x as CSeqBatch).re : (x as SeqBatch).data, im: complex ? (x as CSeqBatch).im : null }
    : { batch: 1, steps: (x as Mat).rows, dim: (x as Mat).cols, re: complex ? (x as CMat).re : (x as Mat).data, im: complex ? (x as CMat).im : null };
  const len = v.batch * v.steps * v.dim;
  if (!(v.re instanceof Float64Array) || v.re.length !== len || (v.im !== null && (!(v.im instanceof Float64Array) || v.im.length !== len))) {
    throw new InputError(field, `${where}: ${field} = ${describeValue(x)}: storage does not match its shape (expected length ${len})`);
  }
  if (finite) checkFiniteRows(where, field, v, 0, v.batch * v.steps);
  return v;
}

/** Throws InputError naming the first non-finite value in rows r0 .. r1−1 (of the flattened batch) of a view. */
function checkFiniteRows(where: string, field: string, v: LsqView, r0: number, r1: number): void {
  const d = Math.max(v.dim, 1);
  for (const a of v.im === null ? [v.re] : [v.re, v.im]) {
    for (let k = r0 * v.dim, end = r1 * v.dim; k < end; k++) {
      if (!Number.isFinite(a[k]!)) {
        throw new InputError(field, `${where}: ${field} has a non-finite value (${describeValue(a[k])}) at row ${Math.floor(k / d)}, column ${k % d}: must be finite`);
      }
    }
  }
}

/** @internal Validates a paired (H, Y) and the washout (finiteness too, unless `finite` is false); returns both views. */
export function lsqPair(where: string, H: LsqData, Y: LsqData, washout: number | undefined, finite = true): { h: LsqView; y: LsqView; washout: number } {
  const h = lsqView(where, 'H', H, finite), y = lsqView(where, 'Y', Y, finite);
  if (h.batch !== y.batch || h.steps !== y.steps) {
    throw new ShapeError('Y', `${where}: H has ${h.batch} sequence(s) of ${h.steps} steps but Y has ${y.batch} of ${y.steps}`);
  }
  if (h.dim < 1) throw new ShapeError('H', `${where}: H has ${h.dim} columns, expected at least 1`);
  if (y.dim < 1) throw new ShapeError('Y', `${where}: Y has ${y.dim} columns, expected at least 1`);
  const w = washout ?? 0;
  if (!Number.isInteger(w) || w < 0 || w > h.steps) {
    throw new InputError('washout', `${where}: washout = ${describeValue(washout)}: must be an integer in [0, ${h.steps}] (steps per sequence)`);
  }
  return { h, y, washout: w };
}

/** @internal Rows kept after the washout, concatenated over sequences, as a real or complex matrix (no copy when possible). */
export function keptRows(v: LsqView, washout: number, complex: boolean): Mat | CMat {
  const rows = v.batch * (v.steps - washout), d = v.dim;
  const pick = (src: Float64Array): Float64Array => {
    if (washout === 0) return src;
    const out = new Float64Array(rows * d);
    for (let b = 0; b < v.batch; b++) out.set(src.subarray((b * v.steps + washout) * d, (b + 1) * v.steps * d), b * (v.steps - washout) * d);
    return out;
  };
  if (!complex) return mat(rows, d, pick(v.re));
  return cmat(rows, d, pick(v.re), v.im === null ? new Float64Array(rows * d) : pick(v.im));
}

/**
 * Sufficient statistics of (H, Y) after dropping `washout` rows at the start of each sequence: HᵀH, HᵀY (Hᴴ
 * when either is complex; a real one is then promoted), column sums and the row count. H: T×N or (B, T, N);
 * Y: T×O or (B, T, O). Summing statistics with {@link addStats} equals computing them on concatenated rows.
 */
export function ridgeStats(H: Mat | SeqBatch, Y: Mat | SeqBatch, opts?: RidgeStatsOptions): LsqStats;
export function ridgeStats(H: LsqData, Y: LsqData, opts?: RidgeStatsOptions): LsqStats | CLsqStats;
export function ridgeStats(H: LsqData, Y: LsqData, opts: RidgeStatsOptions = {}): LsqStats | CLsqStats {
  const { h, y, washout } = lsqPair('ridge', H, Y, opts.washout, false);
  return statsOf(h, y, washout, resolveBackend('ridge', opts.backend));
}

/**
 * {@link ridgeStats} of views whose storage is validated but whose values are not yet known to be finite. Instead
 * of a separate pass over H and Y, the statistics themselves are checked: a NaN or ±Inf in column j of the kept
 * rows of H makes (HᴴH)_jj = Σ|h_tj|² non-finite, and one in column j of Y makes the column sum ȳ_j non-finite
 * (Inf − Inf is NaN). Only then, or when a washed-out row holds one, are the data scanned for the value to name,
 * so every non-finite input is refused with the same message as before.
 */
function statsOf(h: LsqView, y: LsqView, washout: number, backend: Backend): LsqStats | CLsqStats {
  const n = h.dim, o = y.dim, T = h.steps;
  const count = h.batch * (T - washout);
  let s: LsqStats | CLsqStats;
  if (h.im === null && y.im === null) {
    const r = { hth: mat(n, n), hty: mat(n, o), hSum: new Float64Array(n), ySum: new Float64Array(o), count };
    for (let b = 0; b < h.batch; b++) {
      backend.readout.gramAccumulate(n, o, b * T + washout, (b + 1) * T, h.re, y.re, r.hth.data, r.hty.data, r.hSum, r.ySum);
    }
    s = r;
  } else {
    const hIm = h.im ?? new Float64Array(h.re.length), yIm = y.im ?? new Float64Array(y.re.length);
    const c = { hth: cmat(n, n), hty: cmat(n, o), hSum: { re: new Float64Array(n), im: new Float64Array(n) }, ySum: { re: new Float64Array(o), im: new Float64Array(o) }, count };
    for (let b = 0; b < h.batch; b++) {
      backend.readout.gramAccumulateComplex(n, o, b * T + washout, (b + 1) * T, h.re, hIm, y.re, yIm,
        c.hth.re, c.hth.im, c.hty.re, c.hty.im, c.hSum.re, c.hSum.im, c.ySum.re, c.ySum.im);
    }
    s = c;
  }
  const hth = isComplexStats(s) ? s.hth.re : s.hth.data;
  const ySum = isComplexStats(s) ? [s.ySum.re, s.ySum.im] : [s.ySum];
  let finite = true;
  for (let j = 0; j < n; j++) finite &&= Number.isFinite(hth[j * n + j]!);
  for (const a of ySum) for (let j = 0; j < o; j++) finite &&= Number.isFinite(a[j]!);
  if (!finite || washout > 0) {
    const washed = (v: LsqView): boolean => {
      for (let b = 0; b < v.batch; b++) {
        for (const a of v.im === null ? [v.re] : [v.re, v.im]) {
          for (let k = b * T * v.dim, end = (b * T + washout) * v.dim; k < end; k++) if (!Number.isFinite(a[k]!)) return true;
        }
      }
      return false;
    };
    if (!finite || washed(h) || washed(y)) {
      checkFiniteRows('ridge', 'H', h, 0, h.batch * T);
      checkFiniteRows('ridge', 'Y', y, 0, y.batch * T);
      // Finite data whose sums overflow.
      throw new InputError('H', `ridge: HᴴH or the column sums of Y overflow (values near ${describeValue(Number.MAX_VALUE)}/rows): rescale the states or targets`);
    }
  }
  return s;
}

function isComplexStats(s: LsqStats | CLsqStats): s is CLsqStats {
  return isCMat(s.hth);
}

/** Sum of two statistics of the same kind and shape (a new object; inputs untouched). */
export function addStats(a: LsqStats, b: LsqStats): LsqStats;
export function addStats(a: CLsqStats, b: CLsqStats): CLsqStats;
export function addStats(a: LsqStats | CLsqStats, b: LsqStats | CLsqStats): LsqStats | CLsqStats;
export function addStats(a: LsqStats | CLsqStats, b: LsqStats | CLsqStats): LsqStats | CLsqStats {
  checkStats('addStats', 'a', a);
  checkStats('addStats', 'b', b);
  if (isComplexStats(a) !== isComplexStats(b)) throw new InputError('b', 'addStats: cannot add real and complex statistics');
  if (a.hth.rows !== b.hth.rows || a.hty.cols !== b.hty.cols) {
    throw new ShapeError('b', `addStats: shapes differ: N = ${a.hth.rows}, O = ${a.hty.cols} vs N = ${b.hth.rows}, O = ${b.hty.cols}`);
  }
  const add = (x: Float64Array, y: Float64Array): Float64Array => {
    const z = new Float64Array(x.length);
    for (let k = 0; k < x.length; k++) z[k] = x[k]! + y[k]!;
    return z;
  };
  const n = a.hth.rows, o = a.hty.cols, count = a.count + b.count;
  if (isComplexStats(a) && isComplexStats(b)) {
    return {
      hth: cmat(n, n, add(a.hth.re, b.hth.re), add(a.hth.im, b.hth.im)),
      hty: cmat(n, o, add(a.hty.re, b.hty.re), add(a.hty.im, b.hty.im)),
      hSum: { re: add(a.hSum.re, b.hSum.re), im: add(a.hSum.im, b.hSum.im) },
      ySum: { re: add(a.ySum.re, b.ySum.re), im: add(a.ySum.im, b.ySum.im) },
      count,
    };
  }
  const ra = a as LsqStats, rb = b as LsqStats;
  return { hth: mat(n, n, add(ra.hth.data, rb.hth.data)), hty: mat(n, o, add(ra.hty.data, rb.hty.data)), hSum: add(ra.hSum, rb.hSum), ySum: add(ra.ySum, rb.ySum), count };
}

/** Checks the structure of least-squares statistics (from ridgeStats): hth N×N, hty N×O, count. */
function checkStats(where: string, name: string, s: unknown): void {
  checkObject(where, name, s, 'least-squares statistics from ridgeStats');
  checkMatShape(where, `${name}.hth`, s['hth']);
  checkMatShape(where, `${name}.hty`, s['hty']);
  const hth = s['hth'] as Mat, hty = s['hty'] as Mat;
  if (hth.rows !== hth.cols || hty.rows !== hth.rows) throw new ShapeError(name, `${where}: ${name}.hth is ${hth.rows}×${hth.cols} and ${name}.hty is ${hty.rows}×${hty.cols}: expected N×N and N×O`);
  const c = s['count'];
  if (typeof c !== 'number' || !Number.isInteger(c) || c < 0) throw new InputError(`${name}.count`, `${where}: ${name}.count = ${describeValue(c)}: must be an integer >= 0`);
}

function resolveLambda(opts: RidgeSolveOptions, trace: number, n: number): number {
  const { lambda, lambdaRel } = opts;
  if (lambda !== undefined && lambdaRel !== undefined) throw new InputError('lambdaRel', `ridge: lambda = ${lambda} and lambdaRel = ${lambdaRel}: give only one of them`);
  if (lambda === undefined && lambdaRel === undefined) throw new InputError('lambda', 'ridge: lambda = undefined: give lambda >= 0 (or lambdaRel >= 0)');
  if (lambda !== undefined) {
    if (typeof lambda !== 'number' || !(lambda >= 0) || !Number.isFinite(lambda)) throw new InputError('lambda', `ridge: lambda = ${describeValue(lambda)}: must be >= 0`);
    return lambda;
  }
  if (typeof lambdaRel !== 'number' || !(lambdaRel! >= 0) || !Number.isFinite(lambdaRel)) throw new InputError('lambdaRel', `ridge: lambdaRel = ${describeValue(lambdaRel)}: must be >= 0`);
  return lambdaRel! * trace / n;
}

/** The ridge system after centring: X = (G + λI)⁻¹ B, with the sums needed for the intercept. */
interface RidgeSystem {
  /** The backend every solve of this system runs on. */
  readonly backend: Backend;
  readonly n: number;
  readonly o: number;
  readonly count: number;
  readonly bias: boolean;
  readonly lambda: number;
  /** G = HᴴH (centred when bias), N×N, both triangles; gIm null for real statistics. */
  readonly gRe: Float64Array;
  readonly gIm: Float64Array | null;
  /** B = HᴴY (centred when bias), N×O. */
  readonly bRe: Float64Array;
  readonly bIm: Float64Array | null;
  readonly sRe: Float64Array;
  readonly sIm: Float64Array | null;
  readonly yRe: Float64Array;
  readonly yIm: Float64Array | null;
}

/** X (N×O, split storage; im null when real) and the solver that produced it. */
interface RidgeSolution { readonly xRe: Float64Array; readonly xIm: Float64Array | null; readonly solver: RidgeSolver }

/** Validates the statistics and options, centres for the bias and resolves λ. */
function ridgeSystem(stats: LsqStats | CLsqStats, opts: RidgeSolveOptions): RidgeSystem {
  checkStats('solveRidge', 'stats', stats);
  checkObject('solveRidge', 'opts', opts, 'an object {lambda | lambdaRel, bias?}');
  const bias = opts.bias ?? false;
  if (typeof bias !== 'boolean') throw new InputError('bias', `ridge: bias = ${describeValue(opts.bias)}: must be a boolean`);
  const { count } = stats;
  if (!(count >= 1)) throw new InputError('count', `ridge: count = ${count}: no rows to fit (all rows washed out?)`);
  const n = stats.hth.rows, o = stats.hty.cols;
  const complex = isComplexStats(stats);
  // G = HᴴH − n h̄*h̄ᵀ and B = HᴴY − n h̄*ȳᵀ when centring (G_ij −= conj(s_i) s_j / n).
  const gRe = Float64Array.from(complex ? stats.hth.re : (stats as LsqStats).hth.data);
  const bRe = Float64Array.from(complex ? stats.hty.re : (stats as LsqStats).hty.data);
  const gIm = complex ? Float64Array.from(stats.hth.im) : null;
  const bIm = complex ? Float64Array.from(stats.hty.im) : null;
  const sRe = complex ? stats.hSum.re : (stats as LsqStats).hSum, sIm = complex ? stats.hSum.im : null;
  const yRe = complex ? stats.ySum.re : (stats as LsqStats).ySum, yIm = complex ? stats.ySum.im : null;
  if (bias) {
    for (let i = 0; i < n; i++) {
      const ar = sRe[i]! / count, ai = sIm === null ? 0 : -sIm[i]! / count; // conj(s_i)/n
      for (let j = 0; j < n; j++) {
        const br = sRe[j]!, bi = sIm === null ? 0 : sIm[j]!;
        gRe[i * n + j]! -= ar * br - ai * bi;
        if (gIm !== null) gIm[i * n + j]! -= ar * bi + ai * br;
      }
      for (let j = 0; j < o; j++) {
        const br = yRe[j]!, bi = yIm === null ? 0 : yIm[j]!;
        bRe[i * o + j]! -= ar * br - ai * bi;
        if (bIm !== null) bIm[i * o + j]! -= ar * bi + ai * br;
      }
    }
  }
  let trace = 0;
  for (let i = 0; i < n; i++) trace += gRe[i * n + i]!;
  const lambda = resolveLambda(opts, trace, n);
  return { backend: resolveBackend('ridge', opts.backend), n, o, count, bias, lambda, gRe, gIm, bRe, bIm, sRe, sIm, yRe, yIm };
}

/** The Gram matrix's name in messages: HᵀH or HᴴH, "(centred)" with the bias. */
function gramName(sys: RidgeSystem): string {
  return `${sys.gIm === null ? 'HᵀH' : 'HᴴH'}${sys.bias ? ' (centred)' : ''}`;
}

/**
 * Cholesky solve of (G + λI) X = B, or a sentence saying why it failed numerically: the factorisation broke
 * down (a pivot ≤ 0), or a pivot is at or below N·eps·max_i A_ii, the factorisation's own rounding level, so
 * that pivot (and the solution along it) is rounding noise. With λ > 0 that happens only when λ itself is below
 * the rounding level of G; with λ = 0 it also means the states may be rank-deficient.
 */
function choleskyRidge(sys: RidgeSystem): RidgeSolution | string {
  const { n, o, lambda } = sys;
  const aRe = Float64Array.from(sys.gRe);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) {
    aRe[i * n + i]! += lambda;
    maxDiag = Math.max(maxDiag, aRe[i * n + i]!);
  }
  let L: Mat | CMat;
  try {
    L = cholesky(sys.gIm === null ? mat(n, n, aRe) : cmat(n, n, aRe, sys.gIm), { backend: sys.backend });
  } catch (e) {
    if (e instanceof NumericalError) return e.message;
    throw e;
  }
  const Ld = isCMat(L) ? L.re : L.data, floor = n * 2 ** -52 * maxDiag;
  for (let j = 0; j < n; j++) {
    const pivot = Ld[j * n + j]! ** 2;
    if (pivot <= floor) return `pivot ${j} = ${pivot.toExponential(3)} is at rounding level (N·eps·max A_ii = ${floor.toExponential(3)})`;
  }
  const X = choleskySolveWith(L, sys.bIm === null ? mat(n, o, sys.bRe) : cmat(n, o, sys.bRe, sys.bIm)) as Mat | CMat;
  return isCMat(X) ? { xRe: X.re, xIm: X.im, solver: 'cholesky' } : { xRe: X.data, xIm: null, solver: 'cholesky' };
}

/**
 * Fallback from statistics alone (λ > 0): G = Q diag(μ) Qᴴ (eigh) and X = Q diag(1/(max(μ_i, 0) + λ)) Qᴴ B.
 * The exact G is positive semi-definite; eigenvalues below zero are rounding noise of the computed G, and
 * clipping them gives the nearest PSD matrix (in the Frobenius norm), so every divisor is ≥ λ > 0.
 */
function eighRidge(sys: RidgeSystem): RidgeSolution {
  const { n, o, lambda } = sys;
  const dec = eigh(sys.gIm === null ? mat(n, n, sys.gRe) : cmat(n, n, sys.gRe, sys.gIm), { vectors: true, backend: sys.backend });
  const mu = dec.values, V = dec.vectors!;
  const K = sys.backend.blas;
  if (!isCMat(V)) {
    // Z = Qᵀ B (N×O), row i scaled by 1/(max(μ_i, 0) + λ), X = Q Z.
    const Z = new Float64Array(n * o), X = new Float64Array(n * o);
    K.gemm(true, false, n, o, n, 1, V.data, sys.bRe, 0, Z);
    for (let i = 0; i < n; i++) { const f = 1 / (Math.max(mu[i]!, 0) + lambda); for (let j = 0; j < o; j++) Z[i * o + j]! *= f; }
    K.gemm(false, false, n, o, n, 1, V.data, Z, 0, X);
    return { xRe: X, xIm: null, solver: 'eigh' };
  }
  const Zr = new Float64Array(n * o), Zi = new Float64Array(n * o), Xr = new Float64Array(n * o), Xi = new Float64Array(n * o);
  K.zgemm('C', 'N', n, o, n, 1, V.re, V.im, sys.bRe, sys.bIm!, 0, Zr, Zi);
  for (let i = 0; i < n; i++) {
    const f = 1 / (Math.max(mu[i]!, 0) + lambda);
    for (let j = 0; j < o; j++) { Zr[i * o + j]! *= f; Zi[i * o + j]! *= f; }
  }
  K.zgemm('N', 'N', n, o, n, 1, V.re, V.im, Zr, Zi, 0, Xr, Xi);
  return { xRe: Xr, xIm: Xi, solver: 'eigh' };
}

/**
 * Fallback with the data (fitRidge): the thin SVD of the kept (centred, when bias) states H = U diag(s) Vᴴ and
 * X = V diag(s_i/(s_i² + λ)) Uᴴ Y, the exact minimiser of ‖Y − H X‖² + λ‖X‖², computed without HᴴH (the SVD
 * is backward stable on H itself, so nothing is lost to the squared condition number). λ = 0 needs full
 * numerical rank (s_i > max(rows, N)·eps·s_max, pinv's rule); otherwise the solution is not unique and this
 * throws NumericalError.
 */
function svdRidge(sys: RidgeSystem, data: RidgeData): RidgeSolution {
  const { n, o, lambda, count } = sys;
  const complex = sys.gIm !== null;
  const Hm = keptRows(data.h, data.washout, complex), Ym = keptRows(data.y, data.washout, complex);
  const [hr, hi] = isCMat(Hm) ? [Float64Array.from(Hm.re), Float64Array.from(Hm.im)] : [Float64Array.from(Hm.data), null];
  const [yr, yi] = isCMat(Ym) ? [Float64Array.from(Ym.re), Float64Array.from(Ym.im)] : [Float64Array.from(Ym.data), null];
  if (sys.bias) {
    const centre = (x: Float64Array, d: number, sum: Float64Array): void => {
      for (let t = 0; t < count; t++) for (let j = 0; j < d; j++) x[t * d + j]! -= sum[j]! / count;
    };
    centre(hr, n, sys.sRe);
    if (hi !== null) centre(hi, n, sys.sIm!);
    centre(yr, o, sys.yRe);
    if (yi !== null) centre(yi, o, sys.yIm ?? new Float64Array(o));
  }
  const dec = svd(hi === null ? mat(count, n, hr) : cmat(count, n, hr, hi), { vectors: true, backend: sys.backend });
  const s = dec.s, k = s.length;
  const cutoff = defaultRcond(count, n) * (k > 0 ? s[0]! : 0);
  if (lambda === 0) {
    const rank = numericalRank(s, cutoff);
    if (rank < n) {
      throw new NumericalError(`ridge: λ = 0 and the states are rank-deficient (numerical rank ${rank} of N = ${n}, ${count} rows; ` +
        `singular values ≤ ${cutoff.toExponential(3)} count as zero): the least-squares solution is not unique; use lambda > 0, ` +
        'or the pseudo-inverse (fitPinv; compute: method "pinv") for the minimum-norm solution on rank-deficient states');
    }
  }
  const factor = (i: number): number => (lambda === 0 ? 1 / s[i]! : s[i]! / (s[i]! * s[i]! + lambda));
  const K = sys.backend.blas;
  if (hi === null) {
    const U = dec.U as Mat, Vt = dec.Vt as Mat;
    const Z = new Float64Array(k * o), X = new Float64Array(n * o);
    K.gemm(true, false, k, o, count, 1, U.data, yr, 0, Z);
    for (let i = 0; i < k; i++) { const f = factor(i); for (let j = 0; j < o; j++) Z[i * o + j]! *= f; }
    K.gemm(true, false, n, o, k, 1, Vt.data, Z, 0, X);
    return { xRe: X, xIm: null, solver: 'svd' };
  }
  const U = dec.U as CMat, Vt = dec.Vt as CMat;
  const Zr = new Float64Array(k * o), Zi = new Float64Array(k * o), Xr = new Float64Array(n * o), Xi = new Float64Array(n * o);
  K.zgemm('C', 'N', k, o, count, 1, U.re, U.im, yr, yi ?? new Float64Array(yr.length), 0, Zr, Zi);
  for (let i = 0; i < k; i++) { const f = factor(i); for (let j = 0; j < o; j++) { Zr[i * o + j]! *= f; Zi[i * o + j]! *= f; } }
  K.zgemm('C', 'N', n, o, k, 1, Vt.re, Vt.im, Zr, Zi, 0, Xr, Xi);
  return { xRe: Xr, xIm: Xi, solver: 'svd' };
}

/** The data behind statistics, when the caller has it (fitRidge): enables the SVD fallback. */
interface RidgeData { readonly h: LsqView; readonly y: LsqView; readonly washout: number }

/** Cholesky, else the SVD of the data (when given), else eigh of G (λ > 0); λ = 0 from statistics alone refuses. */
function solveSystem(sys: RidgeSystem, data: RidgeData | null): RidgeSolution {
  const first = choleskyRidge(sys);
  if (typeof first !== 'string') return first;
  if (data !== null) return svdRidge(sys, data);
  if (sys.lambda > 0) return eighRidge(sys);
  throw new NumericalError(`ridge: λ = 0 and ${gramName(sys)} is numerically singular (N = ${sys.n}, rows = ${sys.count}; ${first}): ` +
    'from statistics alone the least-squares solution cannot be told apart from rounding noise; use lambda > 0, fitRidge on the states ' +
    '(which falls back to their SVD), or the pseudo-inverse (fitPinv; compute: method "pinv") for rank-deficient states');
}

/** W_out = Xᵀ and b = ȳ − W_out h̄ (when bias) as a fit. */
function ridgeFit(sys: RidgeSystem, sol: RidgeSolution): RidgeFit | CRidgeFit {
  const { n, o, count, lambda } = sys;
  // W_out = Xᵀ (transpose, not conjugate: y_t = Xᵀ h_t).
  const Wre = new Float64Array(o * n), Wim = sol.xIm === null ? null : new Float64Array(o * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < o; j++) {
    Wre[j * n + i] = sol.xRe[i * o + j]!;
    if (Wim !== null) Wim[j * n + i] = sol.xIm![i * o + j]!;
  }
  const solver = sol.solver;
  if (!sys.bias) return Wim === null ? { Wout: mat(o, n, Wre), lambda, solver } : { Wout: cmat(o, n, Wre, Wim), lambda, solver };
  // b = ȳ − W_out h̄
  const { sRe, sIm, yRe, yIm } = sys;
  const bRe = new Float64Array(o), bIm = new Float64Array(o);
  for (let j = 0; j < o; j++) {
    let pr = 0, pi = 0;
    for (let i = 0; i < n; i++) {
      const wr = Wre[j * n + i]!, wi = Wim === null ? 0 : Wim[j * n + i]!, hr = sRe[i]!, hi = sIm === null ? 0 : sIm[i]!;
      pr += wr * hr - wi * hi;
      pi += wr * hi + wi * hr;
    }
    bRe[j] = (yRe[j]! - pr) / count;
    bIm[j] = ((yIm === null ? 0 : yIm[j]!) - pi) / count;
  }
  return Wim === null ? { Wout: mat(o, n, Wre), bias: bRe, lambda, solver } : { Wout: cmat(o, n, Wre, Wim), bias: { re: bRe, im: bIm }, lambda, solver };
}

/**
 * Solves the ridge problem from statistics: X = (A + λI)⁻¹ B with A = HᴴH, B = HᴴY (centred when `bias`),
 * W_out = Xᵀ (O×N) and b = ȳ − W_out h̄. The solver is Cholesky; when it fails numerically (a pivot ≤ 0, or at
 * the rounding level N·eps·max_i A_ii — λ below the rounding level of nearly collinear states) and λ > 0, the
 * fallback is the eigendecomposition of A with its eigenvalues clipped at 0 (`solver: "eigh"`). That never fails,
 * but from statistics alone the accuracy is limited by the rounding of HᴴH; {@link fitRidge}, which has the
 * states, falls back to their SVD instead. Throws InputError for bad options or no rows, and NumericalError for
 * λ = 0 when Cholesky fails (use λ > 0, fitRidge, or fitPinv for rank-deficient states).
 */
export function solveRidge(stats: LsqStats, opts: RidgeSolveOptions): RidgeFit;
export function solveRidge(stats: CLsqStats, opts: RidgeSolveOptions): CRidgeFit;
export function solveRidge(stats: LsqStats | CLsqStats, opts: RidgeSolveOptions): RidgeFit | CRidgeFit;
export function solveRidge(stats: LsqStats | CLsqStats, opts: RidgeSolveOptions): RidgeFit | CRidgeFit {
  const sys = ridgeSystem(stats, opts);
  return ridgeFit(sys, solveSystem(sys, null));
}

/**
 * Ridge fit of Y ≈ H W_outᵀ (+ 1 bᵀ): {@link ridgeStats} then the solve of {@link solveRidge}, except that when
 * Cholesky fails numerically the fallback is the SVD of the kept (centred, when bias) states,
 * X = V diag(s/(s² + λ)) Uᴴ Y (`solver: "svd"`): it never fails for λ > 0 and is accurate to rounding of H
 * itself. λ = 0 still throws NumericalError when the states are numerically rank-deficient (the solution is not
 * unique: use λ > 0 or fitPinv). H: T×N or (B, T, N); Y: T×O or (B, T, O).
 */
export function fitRidge(H: Mat | SeqBatch, Y: Mat | SeqBatch, opts: RidgeFitOptions): RidgeFit;
export function fitRidge(H: LsqData, Y: LsqData, opts: RidgeFitOptions): RidgeFit | CRidgeFit;
export function fitRidge(H: LsqData, Y: LsqData, opts: RidgeFitOptions): RidgeFit | CRidgeFit {
  const o = opts as RidgeFitOptions | undefined;
  if (typeof o !== 'object' || o === null) throw new InputError('opts', 'ridge: opts = undefined: give {lambda} (or {lambdaRel})');
  const { h, y, washout } = lsqPair('ridge', H, Y, o.washout, false);
  const sys = ridgeSystem(statsOf(h, y, washout, resolveBackend('ridge', o.backend)), o);
  return ridgeFit(sys, solveSystem(sys, { h, y, washout }));
}

/**
 * Readout predictions Ŷ = H W_outᵀ (+ 1 bᵀ) for H T×N (real or complex) and W_out O×N; returns T×O
 * (complex when either H or W_out is).
 */
export function predict(H: Mat, Wout: Mat, bias?: Vec): Mat;
export function predict(H: Mat | CMat, Wout: Mat | CMat, bias?: Vec | CVec): Mat | CMat;
export function predict(H: Mat | CMat, Wout: Mat | CMat, bias?: Vec | CVec): Mat | CMat {
  checkMatShape('predict', 'H', H);
  checkMatShape('predict', 'Wout', Wout);
  if (bias !== undefined && !(bias instanceof Float64Array) && !(typeof bias === 'object' && bias !== null && bias.re instanceof Float64Array && bias.im instanceof Float64Array && bias.im.length === bias.re.length)) {
    throw new InputError('bias', `predict: bias = ${describeValue(bias)}: must be a Float64Array or a CVec {re, im}`);
  }
  if (H.cols !== Wout.cols) throw new ShapeError('Wout', `predict: H is ${H.rows}×${H.cols} but Wout is ${Wout.rows}×${Wout.cols} (expected ${Wout.rows}×${H.cols})`);
  const T = H.rows, n = H.cols, o = Wout.rows;
  const bl = bias === undefined ? o : bias instanceof Float64Array ? bias.length : bias.re.length;
  if (bl !== o) throw new ShapeError('bias', `predict: bias has length ${bl}, expected ${o} (= Wout.rows)`);
  const complex = isCMat(H) || isCMat(Wout) || (bias !== undefined && !(bias instanceof Float64Array));
  if (!complex) {
    const out = mat(T, o);
    defaultBackend().blas.gemm(false, true, T, o, n, 1, (H as Mat).data, (Wout as Mat).data, 0, out.data);
    if (bias !== undefined) for (let t = 0; t < T; t++) for (let j = 0; j < o; j++) out.data[t * o + j]! += (bias as Vec)[j]!;
    return out;
  }
  const re = (m: Mat | CMat): [Float64Array, Float64Array] => (isCMat(m) ? [m.re, m.im] : [m.data, new Float64Array(m.data.length)]);
  const [hr, hi] = re(H), [wr, wi] = re(Wout);
  const out = cmat(T, o);
  defaultBackend().blas.zgemm('N', 'T', T, o, n, 1, hr, hi, wr, wi, 0, out.re, out.im);
  if (bias !== undefined) {
    const br = bias instanceof Float64Array ? bias : bias.re, bi = bias instanceof Float64Array ? null : bias.im;
    for (let t = 0; t < T; t++) for (let j = 0; j < o; j++) {
      out.re[t * o + j]! += br[j]!;
      if (bi !== null) out.im[t * o + j]! += bi[j]!;
    }
  }
  return out;
}
