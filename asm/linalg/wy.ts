// Blocked Householder QR and blocked application of reflectors (compact WY, LAPACK dgeqrf/dlarft/dlarfb), row-major.
//
// Schreiber & Van Loan, SIAM J. Sci. Stat. Comput. 10(1), 1989, doi:10.1137/0910005; Golub & Van Loan (4th ed.)
// §5.2.3. Blocks of NB reflectors are copied into a contiguous V (explicit unit diagonal, zeros above) and
// applied to C at once as C ← (I − V·op(T)·Vᵀ)·C with three products on the 4 × 4 microkernel (gemm.ts):
// W = Vᵀ·C, W' = op(T)·W, C −= V·W'. T comes from the Gram matrix VᵀV (dlarft). Same conventions as
// src/linalg/blocked-qr.ts: A = Q·R, Q = H₀⋯H_{k−1}, H_j = I − τ_j·v_j·v_jᵀ, v_j[j] = 1 below the diagonal.

import { el, larfg } from './house';
import { gemmAcc, gemmAccWorkSize } from './gemm';

/** Reflectors per block. */
const NB: i32 = 32;

/** Scratch doubles of one block application with `rows` rows and `nc` columns (see layout in blockWork). */
function blockDoubles(rows: i32, nc: i32): i32 {
  const g = max(gemmAccWorkSize(max(rows, NB), max(nc, NB), max(rows, NB)), gemmAccWorkSize(NB, max(nc, NB), max(rows, NB)));
  return rows * NB + 2 * NB * NB + 2 * NB * max(nc, 1) + g;
}

/**
 * V (rows × jb, contiguous) ← reflectors j0 .. j0+jb−1 of f (leading dimension ldf; reflector j has its unit
 * entry in row j and lives in column j below it), V row i ↔ f row j0 + i; unit diagonal and zeros above explicit.
 */
function packV(rows: i32, ldf: i32, f: usize, j0: i32, jb: i32, V: usize): void {
  for (let i = 0; i < rows; i++) {
    const src = el(f, (j0 + i) * ldf + j0), dst = el(V, i * jb);
    const lim = min(i, jb);
    for (let r = 0; r < lim; r++) store<f64>(el(dst, r), load<f64>(el(src, r)));
    if (i < jb) {
      store<f64>(el(dst, i), 1.0);
      for (let r = i + 1; r < jb; r++) store<f64>(el(dst, r), 0.0);
    }
  }
}

/**
 * Upper-triangular T (jb×jb, leading dimension NB) with H_{j0}⋯H_{j0+jb−1} = I − V·T·Vᵀ (dlarft, forward,
 * columnwise): T_rr = τ_r, T[0:r, r] = −τ_r·T[0:r, 0:r]·(VᵀV)[0:r, r]. G: NB² doubles; gw: gemm scratch.
 */
function formT(rows: i32, V: usize, jb: i32, tau: usize, T: usize, G: usize, gw: usize): void {
  memory.fill(G, 0, <usize>(NB * NB) << 3);
  gemmAcc(true, false, jb, jb, rows, 1.0, V, jb, V, jb, G, NB, gw);
  memory.fill(T, 0, <usize>(NB * NB) << 3);
  for (let r = 0; r < jb; r++) {
    const t = load<f64>(el(tau, r));
    store<f64>(el(T, r * NB + r), t);
    if (r == 0 || t == 0.0) continue;
    for (let q = 0; q < r; q++) {
      let acc = 0.0;
      for (let p = q; p < r; p++) acc += load<f64>(el(T, q * NB + p)) * load<f64>(el(G, p * NB + r));
      store<f64>(el(T, q * NB + r), -t * acc);
    }
  }
}

/**
 * C (rows × nc, leading dimension ldc) ← (I − V·op(T)·Vᵀ)·C, op(T) = Tᵀ when trans (applies the block's Qᵀ),
 * T otherwise (Q). W, W2: NB·nc doubles each; gw: gemm scratch.
 */
function applyBlock(rows: i32, V: usize, jb: i32, T: usize, trans: bool, c: usize, ldc: i32, nc: i32,
  W: usize, W2: usize, gw: usize): void {
  if (nc <= 0 || rows <= 0) return;
  memory.fill(W, 0, <usize>(jb * nc) << 3);
  gemmAcc(true, false, jb, nc, rows, 1.0, V, jb, c, ldc, W, nc, gw);
  memory.fill(W2, 0, <usize>(jb * nc) << 3);
  gemmAcc(trans, false, jb, nc, jb, 1.0, T, NB, W, nc, W2, nc, gw);
  gemmAcc(false, false, rows, nc, jb, -1.0, V, jb, W2, nc, c, ldc, gw);
}

/** Scratch doubles of {@link applyQ} for Q of m rows applied to p columns. */
export function applyQWorkSize(m: i32, p: i32): i32 {
  return blockDoubles(m, p) + 8;
}

/**
 * C ← Q·C (adjoint = false) or Qᵀ·C (adjoint = true), Q = H₀⋯H_{k−1} from reflectors in f (m rows, leading
 * dimension ldf, reflector j in column j with unit entry in row j), τ at tau. C is m×p with leading dimension
 * ldc. formQ: C is [I; 0] on entry and block j0 touches only columns ≥ j0 (backward accumulation of Q).
 */
export function applyQ(m: i32, ldf: i32, k: i32, f: usize, tau: usize, c: usize, ldc: i32, p: i32, adjoint: bool,
  formQ: bool, work: usize): void {
  if (k <= 0 || p <= 0) return;
  const V = (work + 15) & ~(<usize>15);
  const T = el(V, m * NB), G = el(T, NB * NB), W = el(G, NB * NB), W2 = el(W, NB * p), gw = el(W2, NB * p);
  const nblocks = (k + NB - 1) / NB;
  for (let s = 0; s < nblocks; s++) {
    const b = adjoint ? s : nblocks - 1 - s;
    const j0 = b * NB, jb = min(NB, k - j0), rows = m - j0;
    packV(rows, ldf, f, j0, jb, V);
    formT(rows, V, jb, el(tau, j0), T, G, gw);
    const c0 = formQ ? j0 : 0;
    applyBlock(rows, V, jb, T, adjoint, el(c, j0 * ldc + c0), ldc, p - c0, W, W2, gw);
  }
}

/** Scratch doubles of {@link qrFactor} for an m×n matrix. */
export function qrFactorWorkSize(m: i32, n: i32): i32 {
  return blockDoubles(m, n) + m * NB + NB + 8;
}

/**
 * In-place blocked Householder QR of the row-major m×n a: R in the upper triangle, v_j below the diagonal of
 * column j, τ_j in tau. Each panel of NB columns is factored in a contiguous copy (unblocked, row-wise
 * reflector application), then applied to the trailing columns as (I − V·Tᵀ·Vᵀ).
 */
export function qrFactor(m: i32, n: i32, a: usize, tau: usize, work: usize): void {
  const k = min(m, n);
  if (k <= 0) return;
  const V = (work + 15) & ~(<usize>15);
  const T = el(V, m * NB), G = el(T, NB * NB), W = el(G, NB * NB), W2 = el(W, NB * n), gw = el(W2, NB * n);
  const P = el(gw, gemmAccWorkSizeFor(m, n)), wv = el(P, m * NB);
  for (let j0 = 0; j0 < k; j0 += NB) {
    const jb = min(NB, k - j0), pend = j0 + jb, rows = m - j0;
    for (let i = 0; i < rows; i++) memory.copy(el(P, i * jb), el(a, (j0 + i) * n + j0), <usize>jb << 3);
    for (let r = 0; r < jb; r++) {
      const t = larfg(rows - r, el(P, r * jb + r), jb);
      store<f64>(el(tau, j0 + r), t);
      if (t == 0.0 || r == jb - 1) continue;
      reflectPanel(rows, jb, P, r, t, wv);
    }
    for (let i = 0; i < rows; i++) memory.copy(el(a, (j0 + i) * n + j0), el(P, i * jb), <usize>jb << 3);
    if (pend >= n) continue;
    packV(rows, jb, P, 0, jb, V);
    formT(rows, V, jb, el(tau, j0), T, G, gw);
    applyBlock(rows, V, jb, T, true, el(a, j0 * n + pend), n, n - pend, W, W2, gw);
  }
}

function gemmAccWorkSizeFor(m: i32, n: i32): i32 {
  return max(gemmAccWorkSize(max(m, NB), max(n, NB), max(m, NB)), gemmAccWorkSize(NB, max(n, NB), max(m, NB)));
}

/** P[r:, r+1:jb] ← (I − t·v·vᵀ)·P[r:, r+1:jb] for v in column r of the contiguous panel P (rows × jb, v_r = 1). */
function reflectPanel(rows: i32, jb: i32, P: usize, r: i32, t: f64, wv: usize): void {
  const c0 = r + 1, nc = jb - c0;
  const rr = el(P, r * jb + c0);
  memory.copy(wv, rr, <usize>nc << 3);
  for (let i = r + 1; i < rows; i++) {
    const row = el(P, i * jb);
    const vi = load<f64>(el(row, r));
    if (vi == 0.0) continue;
    const vv = f64x2.splat(vi);
    const src = el(row, c0);
    let q = 0;
    for (; q + 2 <= nc; q += 2) v128.store(el(wv, q), f64x2.add(v128.load(el(wv, q)), f64x2.mul(vv, v128.load(el(src, q)))));
    for (; q < nc; q++) store<f64>(el(wv, q), load<f64>(el(wv, q)) + vi * load<f64>(el(src, q)));
  }
  for (let q = 0; q < nc; q++) store<f64>(el(rr, q), load<f64>(el(rr, q)) - t * load<f64>(el(wv, q)));
  for (let i = r + 1; i < rows; i++) {
    const row = el(P, i * jb);
    const g = t * load<f64>(el(row, r));
    if (g == 0.0) continue;
    const gv = f64x2.splat(g);
    const dst = el(row, c0);
    let q = 0;
    for (; q + 2 <= nc; q += 2) v128.store(el(dst, q), f64x2.sub(v128.load(el(dst, q)), f64x2.mul(gv, v128.load(el(wv, q)))));
    for (; q < nc; q++) store<f64>(el(dst, q), load<f64>(el(dst, q)) - g * load<f64>(el(wv, q)));
  }
}
