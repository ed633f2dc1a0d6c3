// Householder QR factorisation A = Q·R (thin) and least squares min‖A·X − B‖_F, real and complex.
//
// Reference: Golub & Van Loan (4th ed.) Alg. 5.2.1 (Householder QR), §5.3.3 (QR least squares), §5.5 (rank-
// deficient problems via the SVD). Reflectors are applied row-wise (householder.ts). Least squares never forms
// AᴴA: full-column-rank problems (m ≥ n) use x = R⁻¹·(Qᴴ·B)[0:n]; wide or numerically rank-deficient problems
// use the SVD (minimum-norm solution x = A⁺·B with the pinv cutoff).
import { ShapeError } from '../core/errors.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { checkFiniteResult, checkMatrix, checkOpts, rcondOpt } from './checks.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { applyQComplex, qrFactorComplex } from './householder.js';
import { defaultRcond, numericalRank } from './pinv.js';
import { svdUnchecked } from './svd.js';

/** Options of {@link qr}. */
export interface QrOptions {
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link qr} for A (m×n), k = min(m, n). */
export interface QrResult<M extends AnyMat = AnyMat> {
  /** Q (m×k) with orthonormal columns (QᴴQ = I). */
  readonly Q: M;
  /** R (k×n), upper triangular (upper trapezoidal when n > m); for complex A its diagonal is real. */
  readonly R: M;
}

/**
 * Thin Householder QR A = Q·R of a real or complex m×n matrix: Q m×k, R k×n, k = min(m, n). The diagonal of R
 * may be negative (LAPACK sign convention: R_jj = −sign(a_jj)·‖a_j‖ at step j). Backward stable:
 * ‖Q·R − A‖ and ‖QᴴQ − I‖ are O(m·eps·‖A‖) and O(m·eps). Throws InputError for NaN/Inf entries.
 */
export function qr(a: Mat, opts?: QrOptions): QrResult<Mat>;
export function qr(a: CMat, opts?: QrOptions): QrResult<CMat>;
export function qr(a: AnyMat, opts?: QrOptions): QrResult;
export function qr(a: AnyMat, opts?: QrOptions): QrResult {
  checkMatrix('qr', 'A', a);
  checkOpts('qr', opts);
  const backend = resolveBackend('qr', opts?.backend);
  const { rows: m, cols: n } = a;
  const k = Math.min(m, n);
  if (!isCMat(a)) {
    const f = Float64Array.from(a.data), tau = new Float64Array(k);
    backend.linalg.qrFactor(m, n, f, tau);
    const q = new Float64Array(m * k);
    for (let i = 0; i < k; i++) q[i * k + i] = 1;
    backend.linalg.applyQ(m, n, k, f, tau, q, k, false, true);
    const R = upper(k, n, f);
    checkFiniteResult('qr', 'the QR factors of A', q, R);
    return { Q: mat(m, k, q), R: mat(k, n, R) };
  }
  const fr = Float64Array.from(a.re), fi = Float64Array.from(a.im);
  const tr = new Float64Array(k), ti = new Float64Array(k);
  qrFactorComplex(m, n, fr, fi, tr, ti, new Float64Array(2 * Math.max(n, 1)));
  const qr_ = new Float64Array(m * k), qi = new Float64Array(m * k);
  for (let i = 0; i < k; i++) qr_[i * k + i] = 1;
  applyQComplex(m, n, k, fr, fi, tr, ti, qr_, qi, k, false, true, new Float64Array(2 * Math.max(k, 1)));
  const Rr = upper(k, n, fr), Ri = upper(k, n, fi);
  checkFiniteResult('qr', 'the QR factors of A', qr_, qi, Rr, Ri);
  return { Q: cmat(m, k, qr_, qi), R: cmat(k, n, Rr, Ri) };
}

function upper(k: number, n: number, f: Float64Array): Float64Array {
  const r = new Float64Array(k * n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) r[i * n + j] = f[i * n + j]!;
  return r;
}

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /** Relative rank cutoff in [0, 1) as in pinv (default max(m, n)·2^-52). */
  readonly rcond?: number;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link lstsq}. */
export interface LstsqResult<M extends AnyMat = AnyMat> {
  /** Solution X (n×p); complex when A or B is complex. */
  readonly x: M;
  /** Numerical rank of A used for the solution (n on the QR path). */
  readonly rank: number;
}

/**
 * Least-squares solution of min‖A·X − B‖_F for A (m×n) and B (m×p), real or complex. When m ≥ n and A has
 * full numerical column rank (estimated σ_min(R) > rcond·σ_max(R)) the Householder QR solution is returned;
 * otherwise (m < n, or rank deficient) the minimum-norm solution X = A⁺·B from the SVD with cutoff
 * rcond·σ_max. Throws ShapeError when B.rows ≠ A.rows, InputError for NaN/Inf entries or a bad rcond.
 */
export function lstsq(a: Mat, b: Mat, opts?: LstsqOptions): LstsqResult<Mat>;
export function lstsq(a: AnyMat, b: AnyMat, opts?: LstsqOptions): LstsqResult;
export function lstsq(a: AnyMat, b: AnyMat, opts?: LstsqOptions): LstsqResult {
  checkMatrix('lstsq', 'A', a);
  checkMatrix('lstsq', 'B', b);
  checkOpts('lstsq', opts);
  const { rows: m, cols: n } = a, p = b.cols;
  if (b.rows !== m) throw new ShapeError('B', `lstsq: A is ${m}×${n} but B is ${b.rows}×${p}: B must have ${m} rows`);
  const rcond = rcondOpt('lstsq', opts?.rcond, defaultRcond(m, n));
  const backend = resolveBackend('lstsq', opts?.backend);
  const complex = isCMat(a) || isCMat(b);
  if (n === 0 || m === 0) {
    return { x: complex ? cmat(n, p) : mat(n, p), rank: 0 };
  }
  if (m >= n) {
    const done = complex ? qrSolveComplex(a, b, rcond) : qrSolveReal(a as Mat, b as Mat, rcond, backend);
    if (done !== null) return { x: done, rank: n };
  }
  return svdSolve(a, b, rcond, complex, backend);
}

function toCArrays(x: AnyMat): [Float64Array, Float64Array] {
  return isCMat(x) ? [Float64Array.from(x.re), Float64Array.from(x.im)] : [Float64Array.from(x.data), new Float64Array(x.data.length)];
}

/**
 * Power-iteration estimates of σ_max(R) and σ_min(R) for the n×n upper-triangular R (leading dim ld; ri null
 * for real R): 8 steps of x ← Rᴴ·R·x and 8 of x ← (Rᴴ·R)⁻¹·x by triangular solves, from a fixed start vector.
 * σ_min is over-estimated when the start vector is nearly orthogonal to the smallest singular direction.
 */
function conditionEstimate(n: number, ld: number, rr: Float64Array, ri: Float64Array | null): [number, number] {
  const im = ri ?? new Float64Array(rr.length);
  const xr = new Float64Array(n), xi = new Float64Array(n), yr = new Float64Array(n), yi = new Float64Array(n);
  const init = (): void => { for (let i = 0; i < n; i++) { xr[i] = 1 + 0.37 * Math.sin(1.7 * i + 0.3); xi[i] = 0; } };
  const normalise = (): number => {
    let s = 0;
    for (let i = 0; i < n; i++) s += xr[i]! ** 2 + xi[i]! ** 2;
    s = Math.sqrt(s);
    if (s === 0 || !Number.isFinite(s)) return s;
    for (let i = 0; i < n; i++) { xr[i]! /= s; xi[i]! /= s; }
    return s;
  };
  init(); normalise();
  let smax = 0;
  for (let it = 0; it < 8; it++) {
    // y = R·x
    for (let i = 0; i < n; i++) {
      let sr = 0, si = 0;
      const o = i * ld;
      for (let j = i; j < n; j++) {
        const ar = rr[o + j]!, ai = im[o + j]!;
        sr += ar * xr[j]! - ai * xi[j]!;
        si += ar * xi[j]! + ai * xr[j]!;
      }
      yr[i] = sr;
      yi[i] = si;
    }
    // x = Rᴴ·y (row-wise scatter: x_j += conj(R_ij)·y_i)
    xr.fill(0); xi.fill(0);
    for (let i = 0; i < n; i++) {
      const o = i * ld, br = yr[i]!, bi = yi[i]!;
      for (let j = i; j < n; j++) {
        const ar = rr[o + j]!, ai = im[o + j]!;
        xr[j]! += ar * br + ai * bi;
        xi[j]! += ar * bi - ai * br;
      }
    }
    smax = Math.sqrt(normalise());
  }
  init(); normalise();
  let growth = 0;
  for (let it = 0; it < 8; it++) {
    // solve Rᴴ·y = x (forward substitution, column-oriented: y_i known, then update later entries)
    yr.set(xr); yi.set(xi);
    for (let i = 0; i < n; i++) {
      const o = i * ld;
      const dr = rr[o + i]!, di = im[o + i]!;
      const den = dr * dr + di * di;
      if (den === 0) return [smax, 0];
      // y_i /= conj(d)
      const tr = (yr[i]! * dr - yi[i]! * di) / den, ti = (yi[i]! * dr + yr[i]! * di) / den;
      yr[i] = tr;
      yi[i] = ti;
      for (let j = i + 1; j < n; j++) {
        // y_j −= conj(R_ij)·y_i
        const ar = rr[o + j]!, ai = im[o + j]!;
        yr[j]! -= ar * tr + ai * ti;
        yi[j]! -= ar * ti - ai * tr;
      }
    }
    // solve R·x = y (back substitution, row-oriented)
    for (let i = n - 1; i >= 0; i--) {
      const o = i * ld;
      let sr = yr[i]!, si = yi[i]!;
      for (let j = i + 1; j < n; j++) {
        const ar = rr[o + j]!, ai = im[o + j]!;
        sr -= ar * xr[j]! - ai * xi[j]!;
        si -= ar * xi[j]! + ai * xr[j]!;
      }
      const dr = rr[o + i]!, di = im[o + i]!;
      const den = dr * dr + di * di;
      xr[i] = (sr * dr + si * di) / den;
      xi[i] = (si * dr - sr * di) / den;
    }
    growth = normalise();
    if (!Number.isFinite(growth)) return [smax, 0];
  }
  return [smax, growth > 0 ? 1 / Math.sqrt(growth) : Infinity];
}

function backSolve(n: number, p: number, rr: Float64Array, ri: Float64Array | null, ldr: number, cr: Float64Array, ci: Float64Array | null): void {
  for (let i = n - 1; i >= 0; i--) {
    const o = i * p;
    for (let j = i + 1; j < n; j++) {
      const fr = rr[i * ldr + j]!, fi = ri === null ? 0 : ri[i * ldr + j]!;
      if (fr === 0 && fi === 0) continue;
      const q = j * p;
      if (ci === null) for (let c = 0; c < p; c++) cr[o + c]! -= fr * cr[q + c]!;
      else for (let c = 0; c < p; c++) {
        const xr = cr[q + c]!, xi = ci[q + c]!;
        cr[o + c]! -= fr * xr - fi * xi;
        ci[o + c]! -= fr * xi + fi * xr;
      }
    }
    const dr = rr[i * ldr + i]!, di = ri === null ? 0 : ri[i * ldr + i]!;
    if (ci === null) for (let c = 0; c < p; c++) cr[o + c]! /= dr;
    else {
      const den = dr * dr + di * di;
      for (let c = 0; c < p; c++) {
        const xr = cr[o + c]!, xi = ci[o + c]!;
        cr[o + c] = (xr * dr + xi * di) / den;
        ci[o + c] = (xi * dr - xr * di) / den;
      }
    }
  }
}

function qrSolveReal(a: Mat, b: Mat, rcond: number, backend: Backend): Mat | null {
  const { rows: m, cols: n } = a, p = b.cols;
  const f = Float64Array.from(a.data), tau = new Float64Array(n);
  backend.linalg.qrFactor(m, n, f, tau);
  const [smax, smin] = conditionEstimate(n, n, f, null);
  if (!(smin > rcond * smax)) return null;
  const c = Float64Array.from(b.data);
  backend.linalg.applyQ(m, n, n, f, tau, c, p, true, false);
  backSolve(n, p, f, null, n, c, null);
  return mat(n, p, c.slice(0, n * p));
}

function qrSolveComplex(a: AnyMat, b: AnyMat, rcond: number): CMat | null {
  const { rows: m, cols: n } = a, p = b.cols;
  const [fr, fi] = toCArrays(a);
  const tr = new Float64Array(n), ti = new Float64Array(n);
  qrFactorComplex(m, n, fr, fi, tr, ti, new Float64Array(2 * n));
  const [smax, smin] = conditionEstimate(n, n, fr, fi);
  if (!(smin > rcond * smax)) return null;
  const [cr, ci] = toCArrays(b);
  applyQComplex(m, n, n, fr, fi, tr, ti, cr, ci, p, true, false, new Float64Array(2 * Math.max(p, 1)));
  backSolve(n, p, fr, fi, n, cr, ci);
  return cmat(n, p, cr.slice(0, n * p), ci.slice(0, n * p));
}

/** Minimum-norm solution X = V·Σ⁺·Uᴴ·B (σ ≤ rcond·σ_max dropped). */
function svdSolve(a: AnyMat, b: AnyMat, rcond: number, complex: boolean, backend: Backend): LstsqResult {
  const { rows: m, cols: n } = a, p = b.cols;
  const res = svdUnchecked(a, true, backend);
  const s = res.s, k = s.length;
  const rank = numericalRank(s, rcond * s[0]!);
  if (!complex) {
    const u = (res.U as Mat).data, vt = (res.Vt as Mat).data, bd = (b as Mat).data;
    // C = Σ⁺·Uᵀ·B (rank×p)
    const c = new Float64Array(rank * p);
    for (let i = 0; i < m; i++) for (let r = 0; r < rank; r++) {
      const f = u[i * k + r]!;
      if (f === 0) continue;
      for (let q = 0; q < p; q++) c[r * p + q]! += f * bd[i * p + q]!;
    }
    for (let r = 0; r < rank; r++) for (let q = 0; q < p; q++) c[r * p + q]! /= s[r]!;
    const x = new Float64Array(n * p);
    for (let r = 0; r < rank; r++) for (let i = 0; i < n; i++) {
      const f = vt[r * n + i]!;
      if (f === 0) continue;
      for (let q = 0; q < p; q++) x[i * p + q]! += f * c[r * p + q]!;
    }
    return { x: mat(n, p, x), rank };
  }
  const U = isCMat(res.U!) ? res.U : cmat(m, k, (res.U as Mat).data, new Float64Array(m * k));
  const V = isCMat(res.Vt!) ? res.Vt : cmat(k, n, (res.Vt as Mat).data, new Float64Array(k * n));
  const [br, bi] = toCArrays(b);
  const cr = new Float64Array(rank * p), ci = new Float64Array(rank * p);
  for (let i = 0; i < m; i++) for (let r = 0; r < rank; r++) {
    const fr = U.re[i * k + r]!, fi = -U.im[i * k + r]!;
    for (let q = 0; q < p; q++) {
      const xr = br[i * p + q]!, xi = bi[i * p + q]!;
      cr[r * p + q]! += fr * xr - fi * xi;
      ci[r * p + q]! += fr * xi + fi * xr;
    }
  }
  for (let r = 0; r < rank; r++) for (let q = 0; q < p; q++) { cr[r * p + q]! /= s[r]!; ci[r * p + q]! /= s[r]!; }
  const xr = new Float64Array(n * p), xi = new Float64Array(n * p);
  for (let r = 0; r < rank; r++) for (let i = 0; i < n; i++) {
    const fr = V.re[r * n + i]!, fi = -V.im[r * n + i]!;
    for (let q = 0; q < p; q++) {
      const yr = cr[r * p + q]!, yi = ci[r * p + q]!;
      xr[i * p + q]! += fr * yr - fi * yi;
      xi[i * p + q]! += fr * yi + fi * yr;
    }
  }
  return { x: cmat(n, p, xr, xi), rank };
}
