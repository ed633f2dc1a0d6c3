// Least-squares sufficient statistics (kernels.ts gramAccumulate / gramAccumulateComplex):
// hth += HᵀH (Hᴴ H), hty += HᵀY (Hᴴ Y), hSum / ySum += column sums, over a block of rows.
//
// Rows are taken GKC at a time and packed into 4-column panels; HᵀH is then a symmetric product of the
// packed block with itself, computed on upper tiles only (common/tile.ts) — the caller mirrors once at the end.
// The real path packs with f64x2 loads/stores and takes the column sums in the same pass. Its time is the
// upper tiles' (T·N(N+1) flops): measured within ~3% of them, and those run at ~98% of the 4 × 4 tile's
// speed on L1-resident panels, which is the f64x2 mul + add peak (no fused multiply-add in 128-bit SIMD).
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

/**
 * Packs rows 0 .. kc−1 of the row-major X (kc × cols) into NR = 4-column panels (the layout of packCols, lanes past
 * the last column zero) and adds the column sums of those rows into sum: one pass over X, two f64x2 loads and
 * stores per row of a panel. The sums of even and odd rows run in separate accumulators (half the add latency).
 */
function packPanelsSum(dst: usize, kc: i32, x: usize, cols: i32, sum: usize): void {
  const ld = <usize>cols << 3;
  const full = cols & ~(NR - 1);
  for (let s = 0; s < full; s += NR) {
    let d = dst + (<usize>(s * kc) << 3);
    let src = x + (<usize>s << 3);
    let e0 = f64x2.splat(0.0), e1 = e0, o0 = e0, o1 = e0;
    let p = 0;
    for (; p + 2 <= kc; p += 2) {
      const a0 = v128.load(src), a1 = v128.load(src, 16);
      const b0 = v128.load(src + ld), b1 = v128.load(src + ld, 16);
      v128.store(d, a0);
      v128.store(d, a1, 16);
      v128.store(d, b0, 32);
      v128.store(d, b1, 48);
      e0 = f64x2.add(e0, a0);
      e1 = f64x2.add(e1, a1);
      o0 = f64x2.add(o0, b0);
      o1 = f64x2.add(o1, b1);
      d += 64;
      src += ld << 1;
    }
    if (p < kc) {
      const a0 = v128.load(src), a1 = v128.load(src, 16);
      v128.store(d, a0);
      v128.store(d, a1, 16);
      e0 = f64x2.add(e0, a0);
      e1 = f64x2.add(e1, a1);
    }
    v128.store(at(sum, s), f64x2.add(v128.load(at(sum, s)), f64x2.add(e0, o0)));
    v128.store(at(sum, s + 2), f64x2.add(v128.load(at(sum, s + 2)), f64x2.add(e1, o1)));
  }
  if (full < cols) {
    const cw = cols - full;
    let d = dst + (<usize>(full * kc) << 3);
    let src = x + (<usize>full << 3);
    for (let c = 0; c < cw; c++) {
      let acc = 0.0;
      let q = src + (<usize>c << 3), e = d + (<usize>c << 3);
      for (let p = 0; p < kc; p++) {
        const v = load<f64>(q);
        store<f64>(e, v);
        acc += v;
        q += ld;
        e += <usize>NR << 3;
      }
      store<f64>(at(sum, full + c), load<f64>(at(sum, full + c)) + acc);
    }
    for (let c = cw; c < NR; c++) {
      let e = d + (<usize>c << 3);
      for (let p = 0; p < kc; p++) {
        store<f64>(e, 0.0);
        e += <usize>NR << 3;
      }
    }
  }
}

/** Real statistics over rows 0 .. rows−1 of H (rows × n) and Y (rows × o); upper triangle of hth only. */
export function gramAccumulate(n: i32, o: i32, rows: i32, H: usize, Y: usize, hth: usize, hty: usize,
  hSum: usize, ySum: usize, work: usize): void {
  const xp = work;
  const yp = work + (<usize>panelDoubles(n, GKC, NR) << 3);
  for (let r0 = 0; r0 < rows; r0 += GKC) {
    const kc = min(GKC, rows - r0);
    packPanelsSum(xp, kc, H + (<usize>(r0 * n) << 3), n, hSum);
    packPanelsSum(yp, kc, Y + (<usize>(r0 * o) << 3), o, ySum);
    upperTiles(n, kc, xp, xp, 1.0, hth);
    macroTile(n, o, kc, xp, yp, 1.0, hty, o);
  }
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
