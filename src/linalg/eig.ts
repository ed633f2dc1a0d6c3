// General (nonsymmetric) eigendecomposition A·v = λ·v of real and complex square matrices.
//
// Real A: balancing (EISPACK balanc, scaling only) → Householder Hessenberg → Francis double-shift QR (hqr/hqr2,
// Golub & Van Loan Alg. 7.5.2) → back-substitution, as the backend's linalg family `eigReal` (pure JS on the js
// backend, the same steps in linear memory on the wasm one). Complex A: balancing → complex Hessenberg → single-shift
// complex QR with Wilkinson shifts (comqr2 / zlahqr style) → triangular back-substitution.
// Order of the eigenvalues: as they appear on the diagonal of the (quasi-)triangular Schur form, which for
// real A keeps each complex-conjugate pair adjacent with the positive imaginary part first. Use
// {@link sortEig} for a canonical order. Eigenvectors are normalised to unit 2-norm (phase not fixed).
import { isCMat, cmat, type AnyMat, type CMat, type CVec } from '../core/types.js';
import { boolOpt, checkFiniteResult, checkOpts, checkSquare } from './checks.js';
import { comqr, hessenbergComplex, triangularEigenvectors } from './comqr.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { InputError, ShapeError, describeValue } from '../core/errors.js';

/** Options of {@link eig}. */
export interface EigOptions {
  /** Compute eigenvectors (default false: values only, about 3× cheaper). */
  readonly vectors?: boolean;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link eig} for an n×n matrix. */
export interface EigResult {
  /** The n eigenvalues λ_j = re[j] + i·im[j], in Schur-form order (see module doc). */
  readonly values: CVec;
  /** Eigenvectors as the columns of an n×n complex matrix, column j for λ_j, each of unit 2-norm; absent when vectors = false. */
  readonly vectors?: CMat;
}

/**
 * Eigenvalues and, with {vectors: true}, right eigenvectors of a real or complex n×n matrix. Defective matrices return
 * their (possibly nearly parallel) computed vectors; repeated eigenvalues are perturbed at the level
 * eps^{1/p}·‖A‖ for a Jordan block of size p, which is the conditioning of the problem, not an algorithmic
 * error. Throws ShapeError for non-square A, InputError for NaN/Inf entries, NumericalError when QR fails to
 * converge within 30·max(10, n) iterations. 0×0 input gives empty results.
 */
export function eig(a: AnyMat, opts?: EigOptions): EigResult {
  checkSquare('eig', 'A', a);
  checkOpts('eig', opts);
  const wantV = boolOpt('eig', 'vectors', opts?.vectors, false);
  const r = eigRangeSafe(a, wantV, resolveBackend('eig', opts?.backend));
  checkFiniteResult('eig', 'the eigendecomposition of A', r.values.re, r.values.im, r.vectors?.re, r.vectors?.im);
  return r;
}

/** Entries above this (divided by n) could overflow inside the QR iteration: such A is scaled first (2^996 ≈ 6.7e299). */
const EIG_BIG = 2 ** 996;

/**
 * {@link eigUnchecked} for any finite A: when max|a_ij|·n exceeds EIG_BIG, runs on A·2^−k (exact; k makes the
 * largest entry about 1) and scales the eigenvalues back, so they overflow to ±Infinity (which callers report)
 * instead of coming back wrong. Other inputs take the unscaled path unchanged.
 */
export function eigRangeSafe(a: AnyMat, wantV: boolean, backend: Backend): EigResult {
  let mx = 0;
  if (isCMat(a)) for (let i = 0; i < a.re.length; i++) mx = Math.max(mx, Math.abs(a.re[i]!), Math.abs(a.im[i]!));
  else for (let i = 0; i < a.data.length; i++) mx = Math.max(mx, Math.abs(a.data[i]!));
  if (!(mx * Math.max(a.rows, 1) > EIG_BIG)) return eigUnchecked(a, wantV, backend);
  const e = Math.min(Math.ceil(Math.log2(mx)), 1023); // 2^e stays finite; the largest entry becomes about 1
  const down = 2 ** -e, up = 2 ** e;
  // entries below 2^-1000 of the largest (subnormal after scaling) are set to 0: far below rounding of the
  // eigenvalues, and left as subnormals they stall the QR iteration's deflation tests
  const f = (v: number): number => { const w = v * down; return Math.abs(w) < 2 ** -1000 ? 0 : w; };
  const s: AnyMat = isCMat(a) ? cmat(a.rows, a.cols, a.re.map(f), a.im.map(f)) : { rows: a.rows, cols: a.cols, data: a.data.map(f) };
  const r = eigUnchecked(s, wantV, backend);
  for (const arr of [r.values.re, r.values.im]) for (let i = 0; i < arr.length; i++) arr[i]! *= up;
  return r;
}

/** {@link eig} without input validation, on `backend`. */
export function eigUnchecked(a: AnyMat, wantV: boolean, backend: Backend): EigResult {
  const n = a.rows;
  const wr = new Float64Array(n), wi = new Float64Array(n);
  if (n === 0) return wantV ? { values: { re: wr, im: wi }, vectors: cmat(0, 0) } : { values: { re: wr, im: wi } };
  if (!isCMat(a)) {
    const h = Float64Array.from(a.data);
    const scale = balance(n, h, null);
    const z = backend.linalg.eigReal(n, h, wantV, wr, wi, 'eig');
    if (z === null) return { values: { re: wr, im: wi } };
    // unbalance, then expand the real EISPACK representation to complex columns
    const vr = new Float64Array(n * n), vi = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      if (wi[j] === 0) {
        for (let i = 0; i < n; i++) vr[i * n + j] = z[i * n + j]! * scale[i]!;
      } else if (wi[j]! > 0) {
        for (let i = 0; i < n; i++) {
          const re = z[i * n + j]! * scale[i]!, im = z[i * n + j + 1]! * scale[i]!;
          vr[i * n + j] = re; vi[i * n + j] = im;
          vr[i * n + j + 1] = re; vi[i * n + j + 1] = -im;
        }
        j++;
      }
    }
    normaliseColumns(n, vr, vi);
    return { values: { re: wr, im: wi }, vectors: cmat(n, n, vr, vi) };
  }
  const hr = Float64Array.from(a.re), hi = Float64Array.from(a.im);
  const scale = balance(n, hr, hi);
  const zr = wantV ? new Float64Array(n * n) : null, zi = wantV ? new Float64Array(n * n) : null;
  hessenbergComplex(n, hr, hi, zr, zi);
  comqr(n, hr, hi, zr, zi, wr, wi, 'eig');
  if (zr === null || zi === null) return { values: { re: wr, im: wi } };
  const vr = new Float64Array(n * n), vi = new Float64Array(n * n);
  triangularEigenvectors(n, hr, hi, zr, zi, vr, vi);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { vr[i * n + j]! *= scale[i]!; vi[i * n + j]! *= scale[i]!; }
  normaliseColumns(n, vr, vi);
  return { values: { re: wr, im: wi }, vectors: cmat(n, n, vr, vi) };
}

/**
 * Balancing by a diagonal similarity D⁻¹·A·D with D = diag(scale), entries powers of 2 (no rounding error), so
 * that each row and column have comparable 1-norms (EISPACK balanc without permutations; Parlett & Reinsch,
 * Numer. Math. 13, 1969). Works in place on (re, im?) and returns the scale vector; eigenvectors of A are D·y.
 */
export function balance(n: number, re: Float64Array, im: Float64Array | null): Float64Array {
  const RADIX = 2, SQRDX = 4;
  const scale = new Float64Array(n).fill(1);
  for (let sweep = 0; sweep < 100; sweep++) {
    let noconv = false;
    for (let i = 0; i < n; i++) {
      let c = 0, r = 0;
      for (let j = 0; j < n; j++) {
        if (j === i) continue;
        c += Math.abs(re[j * n + i]!);
        r += Math.abs(re[i * n + j]!);
        if (im !== null) { c += Math.abs(im[j * n + i]!); r += Math.abs(im[i * n + j]!); }
      }
      if (c === 0 || r === 0) continue;
      let g = r / RADIX, f = 1;
      const s = c + r;
      while (c < g && f < 1e150) { f *= RADIX; c *= SQRDX; }
      g = r * RADIX;
      while (c >= g && f > 1e-150) { f /= RADIX; c /= SQRDX; }
      if ((c + r) / f < 0.95 * s) {
        noconv = true;
        const gi = 1 / f;
        scale[i]! *= f;
        for (let j = 0; j < n; j++) { re[i * n + j]! *= gi; re[j * n + i]! *= f; }
        if (im !== null) for (let j = 0; j < n; j++) { im[i * n + j]! *= gi; im[j * n + i]! *= f; }
      }
    }
    if (!noconv) break;
  }
  return scale;
}

/** Scales every column of the n×n complex (vr, vi) to unit 2-norm (zero columns are left as they are). */
function normaliseColumns(n: number, vr: Float64Array, vi: Float64Array): void {
  const mx = new Float64Array(n), ss = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) mx[j] = Math.max(mx[j]!, Math.abs(vr[i * n + j]!), Math.abs(vi[i * n + j]!));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
    const m = mx[j]!;
    if (m === 0) continue;
    const a = vr[i * n + j]! / m, b = vi[i * n + j]! / m;
    ss[j]! += a * a + b * b;
  }
  for (let j = 0; j < n; j++) ss[j] = mx[j] === 0 ? 1 : 1 / (mx[j]! * Math.sqrt(ss[j]!));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { vr[i * n + j]! *= ss[j]!; vi[i * n + j]! *= ss[j]!; }
}

/** Sort keys of {@link sortEig}. */
export type EigSortKey = 'modulus' | 'real';

/**
 * Eigen-pairs reordered by `key` descending (modulus |λ| or real part), ties broken by real part, then
 * imaginary part, descending. Vectors, when present, are permuted with their values. Returns a new result.
 */
export function sortEig(res: EigResult, key: EigSortKey = 'modulus'): EigResult {
  if (key !== 'modulus' && key !== 'real') throw new InputError('key', `sortEig: key = ${describeValue(key)}: must be "modulus" or "real"`);
  const vals = (res as { values?: { re?: unknown; im?: unknown } } | null)?.values;
  if (!(vals?.re instanceof Float64Array) || !(vals.im instanceof Float64Array) || vals.re.length !== vals.im.length) {
    throw new InputError('res', `sortEig: res = ${describeValue(res)}: must be an eig result {values: {re, im}, vectors?}`);
  }
  const { re, im } = res.values;
  const n = re.length;
  if (res.vectors !== undefined && (res.vectors.rows !== n || res.vectors.cols !== n)) {
    throw new ShapeError('res.vectors', `sortEig: res.vectors is ${res.vectors.rows}×${res.vectors.cols}: expected ${n}×${n} for ${n} values`);
  }
  const k = (j: number): number => (key === 'modulus' ? Math.hypot(re[j]!, im[j]!) : re[j]!);
  const idx = Array.from({ length: n }, (_, j) => j);
  idx.sort((x, y) => k(y) - k(x) || re[y]! - re[x]! || im[y]! - im[x]! || x - y);
  const values = { re: Float64Array.from(idx, (j) => re[j]!), im: Float64Array.from(idx, (j) => im[j]!) };
  if (res.vectors === undefined) return { values };
  const v = res.vectors, vr = new Float64Array(n * n), vi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let c = 0; c < n; c++) {
    vr[i * n + c] = v.re[i * n + idx[c]!]!;
    vi[i * n + c] = v.im[i * n + idx[c]!]!;
  }
  return { values, vectors: cmat(n, n, vr, vi) };
}
