// Singular value decomposition A = U·diag(s)·Vᴴ of real and complex matrices.
//
// Real A (Golub & Van Loan 4th ed. §8.6; LAPACK dgesvd): scale A by 1/max|a_ij|; when m ≥ 1.6·n a blocked
// Householder QR A = Q·R first (the bidiagonalisation then works on the n×n R); Golub–Kahan bidiagonalisation
// W = Q_L·B·Q_Rᵀ; the bidiagonal SVD B = Ū·Σ·V̄ᵀ by Demmel–Kahan implicit QR (bdsqr.ts), whose rotations are
// accumulated into the explicitly formed Q_L and Q_R (svd-bidiag.ts); U = Q·[Q_L·Ū; 0] and Vᵀ = (Q_R·V̄)ᵀ.
// Without vectors the same steps run without accumulating anything, so values are bit-identical with and
// without vectors.
// Complex A with vectors (Drmač & Veselić, "New fast and accurate Jacobi SVD algorithm I", SIAM J. Matrix Anal.
// Appl. 29(4), 2008, doi:10.1137/050639193, the "QR then Jacobi on Rᴴ" preconditioning): for m ≥ n,
//   1. scale A by 1/max|a_ij| (no overflow in squared norms), Householder QR: A = Q·R (R n×n);
//   2. one-sided Jacobi on X = Rᴴ: X·V_x = U_x·Σ (rows of Y = Xᵀ = conj(R) are orthogonalised in place);
//   3. then R = V_x·Σ·U_xᴴ, so U = Q·V_x and Vᴴ = U_xᴴ (row j of Vᴴ = conj(y_j)/σ_j).
// Complex values only: (QR when m ≥ 1.6n, then) complex bidiagonalisation to a real B and bdsqr.
// Wide A (m < n) is handled through Aᴴ. All paths are backward stable: every singular value carries an
// absolute error of a few n·eps·σ_max (complex values with and without vectors agree to that level).
import { NumericalError } from '../core/errors.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { boolOpt, checkMatrix, checkOpts } from './checks.js';
import { resolveBackend, type Backend } from '../backend/index.js';
import { applyQComplex, qrFactorComplex } from './householder.js';
import { bidiagonalise } from './bidiag.js';
import { bdsqr } from './bdsqr.js';
import { jacobiRowsComplex } from './jacobi.js';

/** Options of {@link svd}. */
export interface SvdOptions {
  /** Compute U and Vᴴ (default false: singular values only). */
  readonly vectors?: boolean;
  /** Backend to run on (default: {@link defaultBackend}). */
  readonly backend?: Backend;
}

/** Result of {@link svd} for A (m×n), k = min(m, n). */
export interface SvdResult<M extends AnyMat = AnyMat> {
  /** Singular values, descending, length k, all ≥ 0. */
  readonly s: Float64Array;
  /** Left singular vectors as the columns of U (m×k), UᴴU = I; absent when vectors = false. */
  readonly U?: M;
  /** Right singular vectors as the rows of Vᴴ (k×n), Vᴴ·V = I (Vᵀ for real A); absent when vectors = false. */
  readonly Vt?: M;
}

/** Below this (after scaling A to max|a_ij| = 1) a singular value is set to exactly 0 and its vector completed. */
const TINY = 1e-290;

/** A tall m×n matrix is first reduced by QR when m ≥ QR_RATIO·n (LAPACK dgesvd's crossover, about 1.6). */
const QR_RATIO = 1.6;

/**
 * Thin SVD A = U·diag(s)·Vᴴ of a real or complex m×n matrix (k = min(m, n)): s descending (length k) and,
 * with {vectors: true}, U m×k and Vt = Vᴴ k×n with orthonormal columns/rows. Exactly zero (or below
 * 1e-290·max|a_ij|) singular values get orthonormal completions as vectors. Empty shapes give k = 0. Without
 * vectors a cheaper bidiagonalisation path computes s (equal to the full path's s up to n·eps·σ_max).
 * Throws InputError on NaN/Inf entries, NumericalError if the Jacobi sweeps (60) or the QL iteration fail.
 */
export function svd(a: Mat, opts?: SvdOptions): SvdResult<Mat>;
export function svd(a: CMat, opts?: SvdOptions): SvdResult<CMat>;
export function svd(a: AnyMat, opts?: SvdOptions): SvdResult;
export function svd(a: AnyMat, opts?: SvdOptions): SvdResult {
  checkMatrix('svd', 'A', a);
  checkOpts('svd', opts);
  const wantV = boolOpt('svd', 'vectors', opts?.vectors, false);
  return svdUnchecked(a, wantV, resolveBackend('svd', opts?.backend));
}

/** {@link svd} without input validation (for callers that validated already), on `backend`. */
export function svdUnchecked(a: AnyMat, wantV: boolean, backend: Backend): SvdResult {
  // wide A: the SVD of the tall Aᴴ = U'·Σ·V'ᴴ gives A = V'·Σ·U'ᴴ (the transpose is taken on the fly)
  if (!wantV) return { s: svdValues(a, backend) };
  const c = svdCore(a, true, backend);
  if (c === null) return zeroResult(a, true);
  return assemble(a, c);
}

/**
 * Singular values only: (QR when m ≥ 1.6·n, then) Golub–Kahan bidiagonalisation and bidiagonal QR without
 * vectors (bdsqr.ts), O(mn² + n²) — the same steps as the real path with vectors, minus the accumulation.
 */
function svdValues(a: AnyMat, backend: Backend): Float64Array {
  const swap = a.rows < a.cols;
  const m = swap ? a.cols : a.rows, n = swap ? a.rows : a.cols;
  const complex = isCMat(a);
  const sr = complex ? a.re : a.data, si = complex ? a.im : null;
  const scale = maxAbs(sr, si);
  if (n === 0 || scale === 0) return new Float64Array(n);
  let fr = scaledCopy(m, n, sr, swap, scale, false);
  let fi = si === null ? null : scaledCopy(m, n, si, swap, scale, swap);
  let rows = m;
  if (m >= QR_RATIO * n) {
    // R of a Householder QR has the same singular values; bidiagonalising the n×n R is cheaper
    const tr = new Float64Array(n);
    if (fi === null) backend.linalg.qrFactor(m, n, fr, tr);
    else qrFactorComplex(m, n, fr, fi, tr, new Float64Array(n), new Float64Array(2 * n));
    fr = upperTriangle(n, fr);
    fi = fi === null ? null : upperTriangle(n, fi);
    rows = n;
  }
  let s: Float64Array;
  if (fi === null) s = backend.linalg.bidiagValues(rows, n, fr);
  else {
    s = new Float64Array(n);
    const e = new Float64Array(Math.max(n, 1));
    bidiagonalise(rows, n, fr, fi, s, e);
    bdsqr(n, s, e, null, null, 'svd');
  }
  for (let i = 0; i < n; i++) s[i] = s[i]! < TINY ? 0 : s[i]! * scale;
  return s;
}

/** The n×n upper triangle (zeros below) of the first n rows of the row-major x (leading dimension n). */
function upperTriangle(n: number, x: Float64Array): Float64Array {
  const r = new Float64Array(n * n);
  for (let i = 0; i < n; i++) r.set(x.subarray(i * n + i, (i + 1) * n), i * n + i);
  return r;
}

/**
 * Copies A (m×n) or Aᵀ (when the source is n×m and transposed = true) into a new m×n array scaled by 1/max|a|
 * (`scale` = max|a| > 0). Scaled entries below TINY become exactly 0: they lie under the documented cutoff for
 * singular values, and left as subnormals they make the reflectors overflow (1/(α − β) = ∞) and the QR iteration
 * never converge. A subnormal `scale` (1/scale = ∞) divides instead of multiplying.
 */
function scaledCopy(m: number, n: number, src: Float64Array, transposed: boolean, scale: number, negate: boolean): Float64Array {
  const out = new Float64Array(m * n);
  const inv = 1 / scale;
  if (Number.isFinite(inv)) {
    const f = negate ? -inv : inv;
    if (!transposed) for (let i = 0; i < m * n; i++) out[i] = src[i]! * f;
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = src[j * m + i]! * f;
  } else {
    const g = negate ? -scale : scale;
    if (!transposed) for (let i = 0; i < m * n; i++) out[i] = src[i]! / g;
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = src[j * m + i]! / g;
  }
  for (let i = 0; i < m * n; i++) if (Math.abs(out[i]!) < TINY) out[i] = 0;
  return out;
}

function maxAbs(x: Float64Array, y: Float64Array | null): number {
  let mx = 0;
  for (let i = 0; i < x.length; i++) { const v = Math.abs(x[i]!); if (v > mx) mx = v; }
  if (y !== null) for (let i = 0; i < y.length; i++) { const v = Math.abs(y[i]!); if (v > mx) mx = v; }
  return mx;
}

/** Indices sorting s descending (stable). */
function descendingOrder(s: Float64Array): Int32Array {
  const idx = Array.from({ length: s.length }, (_, i) => i);
  idx.sort((x, y) => s[y]! - s[x]! || x - y);
  return Int32Array.from(idx);
}

/**
 * Replaces the rows listed in `zero` of the k×n matrix (vr, vi?) by unit vectors orthogonal to every other row
 * (classical Gram–Schmidt, applied twice, over candidate unit vectors e_0, e_1, …).
 */
function completeRows(k: number, n: number, vr: Float64Array, vi: Float64Array | null, zero: number[]): void {
  const isZero = new Uint8Array(k);
  for (const j of zero) { isZero[j] = 1; vr.fill(0, j * n, (j + 1) * n); if (vi !== null) vi.fill(0, j * n, (j + 1) * n); }
  const xr = new Float64Array(n), xi = new Float64Array(n);
  let cand = 0;
  for (const j of zero) {
    for (;;) {
      if (cand >= n) throw new NumericalError('svd: could not complete an orthonormal basis for zero singular values');
      xr.fill(0); xi.fill(0); xr[cand++] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (let r = 0; r < k; r++) {
          if (isZero[r] === 1) continue;
          // x −= r·(rᴴx)
          let dr = 0, di = 0;
          const o = r * n;
          for (let c = 0; c < n; c++) {
            const ar = vr[o + c]!, ai = vi === null ? 0 : vi[o + c]!;
            dr += ar * xr[c]! + ai * xi[c]!;
            di += ar * xi[c]! - ai * xr[c]!;
          }
          for (let c = 0; c < n; c++) {
            const ar = vr[o + c]!, ai = vi === null ? 0 : vi[o + c]!;
            xr[c]! -= ar * dr - ai * di;
            xi[c]! -= ar * di + ai * dr;
          }
        }
      }
      let nn = 0;
      for (let c = 0; c < n; c++) nn += xr[c]! * xr[c]! + xi[c]! * xi[c]!;
      nn = Math.sqrt(nn);
      if (nn < 0.5) continue;
      const o = j * n;
      for (let c = 0; c < n; c++) { vr[o + c] = xr[c]! / nn; if (vi !== null) vi[o + c] = xi[c]! / nn; }
      isZero[j] = 0;
      break;
    }
  }
}

/**
 * Internal SVD of the tall (scaled) matrix T = A (or Aᴴ when `swap`): T/scale = Q·[Ux; 0]·Σ·Vt with Ux uRows×n
 * and Vt n×n (columns of Ux and rows of Vt sorted by descending σ), Q from a Householder QR of T (uRows = n),
 * or Q = I when no QR was made (fr = null, uRows = m). U_T = Q·[Ux; 0].
 */
export interface SvdCore {
  readonly m: number;
  readonly n: number;
  readonly swap: boolean;
  /** Singular values of A, descending. */
  readonly s: Float64Array;
  /** Rows of Ux: n after a QR, m without. */
  readonly uRows: number;
  /** Householder QR factor of T/scale and its τ (imaginary parts null for real A); fr null: no QR (Q = I). */
  readonly fr: Float64Array | null;
  readonly fi: Float64Array | null;
  readonly tr: Float64Array;
  readonly ti: Float64Array | null;
  /** uRows×n left singular vectors (columns), and n×n Vᴴ (rows); null when vectors were not requested. */
  readonly uxr: Float64Array | null;
  readonly uxi: Float64Array | null;
  readonly vtr: Float64Array | null;
  readonly vti: Float64Array | null;
  /** The backend the core ran on (its Q is applied there too). */
  readonly backend: Backend;
}

/**
 * Runs the core (real: svd-bidiag.ts; complex: QR + one-sided Jacobi); returns null for k = 0 or the zero
 * matrix (all σ = 0).
 */
export function svdCore(a: AnyMat, wantV: boolean, backend: Backend): SvdCore | null {
  const swap = a.rows < a.cols;
  const m = swap ? a.cols : a.rows, n = swap ? a.rows : a.cols;
  const complex = isCMat(a);
  const sr = complex ? a.re : a.data, si = complex ? a.im : null;
  const scale = maxAbs(sr, si);
  if (n === 0 || scale === 0) return null;
  // the tall matrix is Aᴴ when swapping: transpose, and conjugate (negate the imaginary part)
  const fr = scaledCopy(m, n, sr, swap, scale, false);
  if (si === null) return realCore(m, n, swap, scale, fr, wantV, backend);
  const fi = scaledCopy(m, n, si, swap, scale, swap);
  const tr = new Float64Array(n), ti = new Float64Array(n);
  qrFactorComplex(m, n, fr, fi, tr, ti, new Float64Array(2 * n));
  // Y = conj(R): rows of Y are the columns of X = Rᴴ
  const yr = new Float64Array(n * n), yi = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) {
    yr[i * n + j] = fr[i * n + j]!;
    yi[i * n + j] = -fi[i * n + j]!;
  }
  let wr: Float64Array | null = null, wi: Float64Array | null = null;
  if (wantV) {
    wr = new Float64Array(n * n);
    for (let i = 0; i < n; i++) wr[i * n + i] = 1;
    wi = new Float64Array(n * n);
  }
  jacobiRowsComplex(n, n, yr, yi, wr, wi, 'svd');
  const sig = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let ss = 0;
    for (let c = 0; c < n; c++) ss += yr[j * n + c]! ** 2 + yi[j * n + c]! ** 2;
    sig[j] = Math.sqrt(ss);
  }
  const order = descendingOrder(sig);
  const s = new Float64Array(n);
  for (let r = 0; r < n; r++) s[r] = sig[order[r]!]! < TINY ? 0 : sig[order[r]!]! * scale;
  if (wr === null || wi === null) return { m, n, swap, s, uRows: n, fr, fi, tr, ti, uxr: null, uxi: null, vtr: null, vti: null, backend };
  // Vᴴ of R: row r = conj(y_j)/σ_j (X = Rᴴ = U_x·Σ·V_xᴴ ⇒ R = V_x·Σ·U_xᴴ)
  const vtr = new Float64Array(n * n), vti = new Float64Array(n * n);
  const zero: number[] = [];
  for (let r = 0; r < n; r++) {
    const j = order[r]!;
    if (s[r] === 0) { zero.push(r); continue; }
    const inv = 1 / sig[j]!;
    for (let c = 0; c < n; c++) {
      vtr[r * n + c] = yr[j * n + c]! * inv;
      vti[r * n + c] = -yi[j * n + c]! * inv;
    }
  }
  if (zero.length > 0) completeRows(n, n, vtr, vti, zero);
  // U of R = V_x: column r = row order[r] of the accumulated rotations
  const uxr = new Float64Array(n * n), uxi = new Float64Array(n * n);
  for (let r = 0; r < n; r++) {
    const wo = order[r]! * n;
    for (let i = 0; i < n; i++) {
      uxr[i * n + r] = wr[wo + i]!;
      uxi[i * n + r] = wi[wo + i]!;
    }
  }
  return { m, n, swap, s, uRows: n, fr, fi, tr, ti, uxr, uxi, vtr, vti, backend };
}

/**
 * The real core: (QR when m ≥ 1.6·n, then) the bidiagonal SVD of svd-bidiag.ts, values only when !wantV.
 * fr (the scaled m×n T) is destroyed.
 */
function realCore(m: number, n: number, swap: boolean, scale: number, fr: Float64Array, wantV: boolean, backend: Backend): SvdCore {
  const qr = m >= QR_RATIO * n;
  const tr = new Float64Array(n);
  if (qr) backend.linalg.qrFactor(m, n, fr, tr);
  const rows = qr ? n : m;
  const w = qr ? upperTriangle(n, fr) : fr;
  const b = wantV ? backend.linalg.bidiagSvd(rows, n, w) : { s: backend.linalg.bidiagValues(rows, n, w), u: null, vt: null };
  const s = b.s;
  for (let i = 0; i < n; i++) s[i] = s[i]! < TINY ? 0 : s[i]! * scale;
  return { m, n, swap, s, uRows: rows, fr: qr ? fr : null, fi: null, tr, ti: null, uxr: b.u, uxi: null, vtr: b.vt, vti: null, backend };
}

/** C ← Q·C for the m×p matrix C (re, im?) with Q from the core's QR factor. */
export function applyCoreQ(c: SvdCore, p: number, cr: Float64Array, ci: Float64Array | null): void {
  if (c.fr === null) return;
  if (c.fi === null || ci === null) c.backend.linalg.applyQ(c.m, c.n, c.n, c.fr, c.tr, cr, p, false, false);
  else applyQComplex(c.m, c.n, c.n, c.fr, c.fi, c.tr, c.ti!, cr, ci, p, false, false, new Float64Array(2 * Math.max(p, 1)));
}

function assemble(a: AnyMat, c: SvdCore): SvdResult {
  const { m, n } = c, k = n;
  const complex = c.fi !== null;
  // U_T = Q·[Ux; 0] (m×k)
  const ur = new Float64Array(m * k), ui = complex ? new Float64Array(m * k) : null;
  ur.set(c.uxr!);
  if (ui !== null) ui.set(c.uxi!);
  applyCoreQ(c, k, ur, ui);
  if (!c.swap) {
    return complex
      ? { s: c.s, U: cmat(m, k, ur, ui!), Vt: cmat(k, n, c.vtr!, c.vti!) }
      : { s: c.s, U: mat(m, k, ur), Vt: mat(k, n, c.vtr!) };
  }
  // A = Tᴴ = Vt_Tᴴ·Σ·U_Tᴴ: U_A = Vt_Tᴴ (a.rows×k), Vᴴ_A = U_Tᴴ (k×a.cols)
  if (!complex) return { s: c.s, U: mat(a.rows, k, transposeArr(k, n, c.vtr!)), Vt: mat(k, a.cols, transposeArr(m, k, ur)) };
  return {
    s: c.s,
    U: cmat(a.rows, k, transposeArr(k, n, c.vtr!), negate(transposeArr(k, n, c.vti!))),
    Vt: cmat(k, a.cols, transposeArr(m, k, ur), negate(transposeArr(m, k, ui!))),
  };
}

/** Identity-like result for the zero matrix (or k = 0): s = 0, U = [I; 0], Vᴴ = [I, 0]. */
function zeroResult(a: AnyMat, wantV: boolean): SvdResult {
  const { rows, cols } = a, k = Math.min(rows, cols);
  const s = new Float64Array(k);
  if (!wantV) return { s };
  const u = new Float64Array(rows * k), vt = new Float64Array(k * cols);
  for (let i = 0; i < k; i++) { u[i * k + i] = 1; vt[i * cols + i] = 1; }
  if (isCMat(a)) return { s, U: cmat(rows, k, u, new Float64Array(rows * k)), Vt: cmat(k, cols, vt, new Float64Array(k * cols)) };
  return { s, U: mat(rows, k, u), Vt: mat(k, cols, vt) };
}

/** Row-major transpose of an r×c array. */
export function transposeArr(r: number, c: number, x: Float64Array): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = x[i * c + j]!;
  return t;
}

/** Negates x in place and returns it. */
export function negate(x: Float64Array): Float64Array {
  for (let i = 0; i < x.length; i++) x[i] = -x[i]!;
  return x;
}
