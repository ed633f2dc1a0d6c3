// Least-squares sufficient statistics (kernels.ts gramAccumulate / gramAccumulateComplex):
// hth += HᵀH (Hᴴ H), hty += HᵀY (Hᴴ Y), hSum / ySum += column sums, over a block of rows.
//
// Rows are taken GKC at a time and packed into 4-column panels; HᵀH is then a symmetric product of the
// packed block with itself, computed on upper tiles only (common/tile.ts) — the caller mirrors once at the end.
// Complex statistics are real products of depth 2·kc on stacked panels:
//   Re(Hᴴ H) = [H_re; H_im]ᵀ[H_re; H_im],   Im(Hᴴ H) = [H_re; H_im]ᵀ[H_im; −H_re]  (likewise for Hᴴ Y).

import { NR, macroTile, upperTiles } from '../common/tile';
import { packCols, panelDoubles } from '../common/panel';
import { at, columnSums } from '../common/vec';

/** Rows per packed block: a 512-column block (512 KiB) stays in L2 while its tiles are swept. */
const GKC: i32 = 128;

/** Scratch doubles for gramAccumulate. */
export function gramWorkSize(n: i32, o: i32): i32 {
  return panelDoubles(n, GKC, NR) + panelDoubles(o, GKC, NR);
}

/** Real statistics over rows 0 .. rows−1 of H (rows × n) and Y (rows × o); upper triangle of hth only. */
export function gramAccumulate(n: i32, o: i32, rows: i32, H: usize, Y: usize, hth: usize, hty: usize,
  hSum: usize, ySum: usize, work: usize): void {
  const xp = work;
  const yp = work + (<usize>panelDoubles(n, GKC, NR) << 3);
  for (let r0 = 0; r0 < rows; r0 += GKC) {
    const kc = min(GKC, rows - r0);
    packCols(xp, kc, 0, H, n, r0, kc, 0, n, NR, 1.0);
    packCols(yp, kc, 0, Y, o, r0, kc, 0, o, NR, 1.0);
    upperTiles(n, kc, xp, xp, 1.0, hth);
    macroTile(n, o, kc, xp, yp, 1.0, hty, o);
  }
  columnSums(H, rows, n, hSum);
  columnSums(Y, rows, o, ySum);
}

/** Scratch doubles for gramAccumulateComplex. */
export function gramComplexWorkSize(n: i32, o: i32): i32 {
  return 2 * panelDoubles(n, 2 * GKC, NR) + 2 * panelDoubles(o, 2 * GKC, NR) + n;
}

/**
 * Complex statistics over rows 0 .. rows−1 (split storage); upper triangle of hth only. The diagonal of
 * Im hth is left exactly as it was: (Hᴴ H)_ii is real, and the stacked product would add rounding noise.
 */
export function gramAccumulateComplex(n: i32, o: i32, rows: i32, Hre: usize, Him: usize, Yre: usize, Yim: usize,
  hthRe: usize, hthIm: usize, htyRe: usize, htyIm: usize, hSumRe: usize, hSumIm: usize, ySumRe: usize,
  ySumIm: usize, work: usize): void {
  const xp = work;
  const zp = xp + (<usize>panelDoubles(n, 2 * GKC, NR) << 3);
  const yp = zp + (<usize>panelDoubles(n, 2 * GKC, NR) << 3);
  const wp = yp + (<usize>panelDoubles(o, 2 * GKC, NR) << 3);
  const diag = wp + (<usize>panelDoubles(o, 2 * GKC, NR) << 3);
  for (let i = 0; i < n; i++) store<f64>(at(diag, i), load<f64>(at(hthIm, i * (n + 1))));
  for (let r0 = 0; r0 < rows; r0 += GKC) {
    const kc = min(GKC, rows - r0);
    const d = 2 * kc;
    packCols(xp, d, 0, Hre, n, r0, kc, 0, n, NR, 1.0);
    packCols(xp, d, kc, Him, n, r0, kc, 0, n, NR, 1.0);
    packCols(zp, d, 0, Him, n, r0, kc, 0, n, NR, 1.0);
    packCols(zp, d, kc, Hre, n, r0, kc, 0, n, NR, -1.0);
    packCols(yp, d, 0, Yre, o, r0, kc, 0, o, NR, 1.0);
    packCols(yp, d, kc, Yim, o, r0, kc, 0, o, NR, 1.0);
    packCols(wp, d, 0, Yim, o, r0, kc, 0, o, NR, 1.0);
    packCols(wp, d, kc, Yre, o, r0, kc, 0, o, NR, -1.0);
    upperTiles(n, d, xp, xp, 1.0, hthRe);
    upperTiles(n, d, xp, zp, 1.0, hthIm);
    macroTile(n, o, d, xp, yp, 1.0, htyRe, o);
    macroTile(n, o, d, xp, wp, 1.0, htyIm, o);
  }
  for (let i = 0; i < n; i++) store<f64>(at(hthIm, i * (n + 1)), load<f64>(at(diag, i)));
  columnSums(Hre, rows, n, hSumRe);
  columnSums(Him, rows, n, hSumIm);
  columnSums(Yre, rows, o, ySumRe);
  columnSums(Yim, rows, o, ySumIm);
}
