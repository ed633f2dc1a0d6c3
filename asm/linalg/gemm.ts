// GEMM on strided sub-blocks for the decompositions: C (m×n, leading dimension ldc) += alpha·op(A)·op(B).
//
// Same GotoBLAS loop nest as blas/gemm.ts (depth blocks of KC, column blocks of NC, row blocks of MC, packed
// panels, the 4 × 4 microkernel of common/tile.ts), but every operand has its own leading dimension, so blocks of a
// larger matrix (a panel of reflectors, a trailing submatrix) are multiplied in place without copies.

import { MR, NR, macroTile } from '../common/tile';
import { packCols, packRows, panelDoubles } from '../common/panel';

const KC: i32 = 256;
const MC: i32 = 64;
const NC: i32 = 1024;

/** Scratch doubles {@link gemmAcc} needs for an m×n product of depth k. */
export function gemmAccWorkSize(m: i32, n: i32, k: i32): i32 {
  const depth = min(KC, max(k, 1));
  return panelDoubles(min(max(m, 1), MC), depth, MR) + panelDoubles(min(max(n, 1), NC), depth, NR);
}

/**
 * C (m×n, row-major, leading dimension ldc) += alpha·op(A)·op(B). op(A) is m×k: A is m×k with leading
 * dimension lda, or k×m when transA. op(B) is k×n: B is k×n with leading dimension ldb, or n×k when transB.
 * work: gemmAccWorkSize(m, n, k) doubles. Addresses are bytes; no operand may be at address 0.
 */
export function gemmAcc(transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f64, a: usize, lda: i32,
  b: usize, ldb: i32, c: usize, ldc: i32, work: usize): void {
  if (m <= 0 || n <= 0 || k <= 0 || alpha == 0.0) return;
  const ap = work;
  const bp = work + (<usize>panelDoubles(min(m, MC), min(KC, k), MR) << 3);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = min(NC, n - j0);
      if (transB) packRows(bp, kc, 0, b, ldb, j0, nc, p0, kc, NR, 1.0);
      else packCols(bp, kc, 0, b, ldb, p0, kc, j0, nc, NR, 1.0);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        if (transA) packCols(ap, kc, 0, a, lda, p0, kc, i0, mc, MR, 1.0);
        else packRows(ap, kc, 0, a, lda, i0, mc, p0, kc, MR, 1.0);
        macroTile(mc, nc, kc, ap, bp, alpha, c + (<usize>(i0 * ldc + j0) << 3), ldc);
      }
    }
  }
}

