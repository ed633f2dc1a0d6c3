// Blocked real and complex GEMM, C := alpha·op(A)·op(B) + beta·C (kernels.ts contract), row-major.
//
// Loop nest as in GotoBLAS: depth blocks of KC, column blocks of NC (op(B) packed once per block),
// row blocks of MC (op(A) packed), then the 4 × 4 microkernel (common/tile.ts). Complex products run as real
// products of depth 2·kc on stacked panels (common/panel.ts), with the conjugation signs sa, sb folded in:
//   Re C = [A_re, A_im]·[B_re; −sa·sb·B_im],   Im C = [A_re, A_im]·[sb·B_im; sa·B_re].

import { MR, NR, macroTile } from '../common/tile';
import { packCols, packRows, panelDoubles } from '../common/panel';
import { at, axpy, dot, scale } from '../common/vec';

const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Packs op(A)[i0 .. i0+mc, p0 .. p0+kc] (A is m×k, or k×m when transposed) into MR-row panels. */
function packOpA(trans: bool, a: usize, m: i32, k: i32, i0: i32, mc: i32, p0: i32, kc: i32,
  dst: usize, kTotal: i32, pOff: i32, s: f64): void {
  if (trans) packCols(dst, kTotal, pOff, a, m, p0, kc, i0, mc, MR, s);
  else packRows(dst, kTotal, pOff, a, k, i0, mc, p0, kc, MR, s);
}

/** Packs op(B)[p0 .. p0+kc, j0 .. j0+nc] (B is k×n, or n×k when transposed) into NR-column panels. */
function packOpB(trans: bool, b: usize, k: i32, n: i32, p0: i32, kc: i32, j0: i32, nc: i32,
  dst: usize, kTotal: i32, pOff: i32, s: f64): void {
  if (trans) packRows(dst, kTotal, pOff, b, k, j0, nc, p0, kc, NR, s);
  else packCols(dst, kTotal, pOff, b, n, p0, kc, j0, nc, NR, s);
}

/** Scratch doubles gemm needs (parts = 1 real, 2 complex): one A block and `parts` B blocks. */
export function gemmWorkSize(m: i32, n: i32, k: i32, parts: i32): i32 {
  const depth = parts * min(KC, max(k, 1));
  return panelDoubles(min(m, MC), depth, MR) + parts * panelDoubles(min(n, NC), depth, NR);
}

/**
 * y (rows) += alpha · op(M) x for op(M) rows × k: M is rows × k (dot products) or, when trans, k × rows
 * (axpy over M's rows). The matrix–vector shapes of gemm (n = 1 or m = 1) skip packing through here.
 */
function gemv(trans: bool, rows: i32, k: i32, alpha: f64, M: usize, x: usize, y: usize): void {
  if (trans) {
    for (let p = 0; p < k; p++) axpy(rows, alpha * load<f64>(at(x, p)), at(M, p * rows), y);
  } else {
    for (let i = 0; i < rows; i++) store<f64>(at(y, i), load<f64>(at(y, i)) + alpha * dot(at(M, i * k), x, k));
  }
}

/** Real GEMM (kernels.ts `gemm`); work: gemmWorkSize(m, n, k, 1) doubles. */
export function gemm(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, b: usize,
  beta: f64, c: usize, work: usize): void {
  scale(c, m * n, beta);
  if (alpha == 0.0 || k == 0) return;
  if (n == 1) return gemv(transA, m, k, alpha, a, b, c);  // C = op(A)·b: b is contiguous either way
  if (m == 1) return gemv(!transB, n, k, alpha, b, a, c); // Cᵀ = op(B)ᵀ·aᵀ
  const ap = work;
  const bp = work + (<usize>panelDoubles(min(m, MC), min(KC, k), MR) << 3);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = min(NC, n - j0);
      packOpB(transB, b, k, n, p0, kc, j0, nc, bp, kc, 0, 1.0);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packOpA(transA, a, m, k, i0, mc, p0, kc, ap, kc, 0, 1.0);
        macroTile(mc, nc, kc, ap, bp, alpha, c + (<usize>(i0 * n + j0) << 3), n);
      }
    }
  }
}

/** Complex GEMM (kernels.ts `zgemm`); trans codes 0 = N, 1 = T, 2 = C; work: gemmWorkSize(m, n, k, 2). */
export function zgemm(transA: i32, transB: i32, m: i32, n: i32, k: i32, alpha: f64, aRe: usize, aIm: usize,
  bRe: usize, bIm: usize, beta: f64, cRe: usize, cIm: usize, work: usize): void {
  scale(cRe, m * n, beta);
  scale(cIm, m * n, beta);
  if (alpha == 0.0 || k == 0) return;
  const tA = transA != 0, tB = transB != 0;
  const sa: f64 = transA == 2 ? -1.0 : 1.0;
  const sb: f64 = transB == 2 ? -1.0 : 1.0;
  const depthMax = 2 * min(KC, k);
  const ap = work;
  const bpRe = ap + (<usize>panelDoubles(min(m, MC), depthMax, MR) << 3);
  const bpIm = bpRe + (<usize>panelDoubles(min(n, NC), depthMax, NR) << 3);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    const d = 2 * kc;
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = min(NC, n - j0);
      packOpB(tB, bRe, k, n, p0, kc, j0, nc, bpRe, d, 0, 1.0);
      packOpB(tB, bIm, k, n, p0, kc, j0, nc, bpRe, d, kc, -sa * sb);
      packOpB(tB, bIm, k, n, p0, kc, j0, nc, bpIm, d, 0, sb);
      packOpB(tB, bRe, k, n, p0, kc, j0, nc, bpIm, d, kc, sa);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packOpA(tA, aRe, m, k, i0, mc, p0, kc, ap, d, 0, 1.0);
        packOpA(tA, aIm, m, k, i0, mc, p0, kc, ap, d, kc, 1.0);
        const off = <usize>(i0 * n + j0) << 3;
        macroTile(mc, nc, d, ap, bpRe, alpha, cRe + off, n);
        macroTile(mc, nc, d, ap, bpIm, alpha, cIm + off, n);
      }
    }
  }
}
