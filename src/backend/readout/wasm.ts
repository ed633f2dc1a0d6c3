// WebAssembly SIMD implementation of the readout family (asm/readout/): Gram statistics and RLS.
//
// Each call copies its inputs into linear memory (the backend's Runtime), runs the kernel and copies the outputs
// back. Long sequences go through in chunks of rows (about 256 KiB of data per chunk) so the arena stays small and
// each chunk is copied out while it is still in cache; the statistics, W and P stay resident for the whole call.
import { chunkRows, type Runtime } from '../wasm/runtime.js';
import type { ReadoutKernels } from './types.js';

/** The readout family on the backend's runtime `arena`. */
export function wasmReadout(arena: Runtime): ReadoutKernels {
  const alloc = (doubles: number): number => arena.alloc(doubles);

  function gramAccumulate(n: number, o: number, r0: number, r1: number, H: Float64Array, Y: Float64Array,
    hth: Float64Array, hty: Float64Array, hSum: Float64Array, ySum: Float64Array): void {
    if (r1 <= r0 || n === 0) return gramOutputsOnly(o, r0, r1, Y, ySum);
    const rows = chunkRows(n + o, r1 - r0, 128);
    arena.reset();
    const g = alloc(n * n), gy = alloc(n * o), hs = alloc(n), ys = alloc(o), pw = alloc(arena.sizes.gramWorkSize(n, o));
    const ph = alloc(rows * n), py = alloc(rows * o);
    const w = arena.commit();
    arena.put(g, hth, 0, n * n);
    arena.put(gy, hty, 0, n * o);
    arena.put(hs, hSum, 0, n);
    arena.put(ys, ySum, 0, o);
    for (let t0 = r0; t0 < r1; t0 += rows) {
      const c = Math.min(rows, r1 - t0);
      arena.put(ph, H, t0 * n, c * n);
      arena.put(py, Y, t0 * o, c * o);
      w.gramAccumulate(n, o, c, ph, py, g, gy, hs, ys, pw);
    }
    w.mirrorUpper(g, n);
    arena.get(g, n * n, hth, 0);
    arena.get(gy, n * o, hty, 0);
    arena.get(hs, n, hSum, 0);
    arena.get(ys, o, ySum, 0);
  }

  /** n = 0: only the output column sums change (as in the reference). */
  function gramOutputsOnly(o: number, r0: number, r1: number, Y: Float64Array, ySum: Float64Array): void {
    for (let r = r0; r < r1; r++) for (let j = 0; j < o; j++) ySum[j]! += Y[r * o + j]!;
  }

  function gramAccumulateComplex(n: number, o: number, r0: number, r1: number, Hre: Float64Array, Him: Float64Array,
    Yre: Float64Array, Yim: Float64Array, hthRe: Float64Array, hthIm: Float64Array, htyRe: Float64Array,
    htyIm: Float64Array, hSumRe: Float64Array, hSumIm: Float64Array, ySumRe: Float64Array, ySumIm: Float64Array): void {
    if (r1 <= r0 || n === 0) {
      gramOutputsOnly(o, r0, r1, Yre, ySumRe);
      gramOutputsOnly(o, r0, r1, Yim, ySumIm);
      return;
    }
    const rows = chunkRows(2 * (n + o), r1 - r0, 128);
    arena.reset();
    const gr = alloc(n * n), gi = alloc(n * n), yr = alloc(n * o), yi = alloc(n * o);
    const hsr = alloc(n), hsi = alloc(n), ysr = alloc(o), ysi = alloc(o), pw = alloc(arena.sizes.gramComplexWorkSize(n, o));
    const phr = alloc(rows * n), phi = alloc(rows * n), pyr = alloc(rows * o), pyi = alloc(rows * o);
    const w = arena.commit();
    const stats: [number, Float64Array, number][] = [[gr, hthRe, n * n], [gi, hthIm, n * n], [yr, htyRe, n * o],
      [yi, htyIm, n * o], [hsr, hSumRe, n], [hsi, hSumIm, n], [ysr, ySumRe, o], [ysi, ySumIm, o]];
    for (const [ptr, arr, len] of stats) arena.put(ptr, arr, 0, len);
    for (let t0 = r0; t0 < r1; t0 += rows) {
      const c = Math.min(rows, r1 - t0);
      arena.put(phr, Hre, t0 * n, c * n);
      arena.put(phi, Him, t0 * n, c * n);
      arena.put(pyr, Yre, t0 * o, c * o);
      arena.put(pyi, Yim, t0 * o, c * o);
      w.gramAccumulateComplex(n, o, c, phr, phi, pyr, pyi, gr, gi, yr, yi, hsr, hsi, ysr, ysi, pw);
    }
    w.mirrorHermitian(gr, gi, n);
    for (const [ptr, arr, len] of stats) arena.get(ptr, len, arr, 0);
  }

  function rls(n: number, o: number, T: number, H: Float64Array, Y: Float64Array, lambda: number,
    P: Float64Array, W: Float64Array, pred: Float64Array, _work: Float64Array): void {
    if (T === 0) return;
    const rows = chunkRows(n + 2 * o, T);
    arena.reset();
    const pP = alloc(n * n), pW = alloc(o * n), ph = alloc(n), hn = alloc(n), pw = alloc(2 * n);
    const pH = alloc(rows * n), pY = alloc(rows * o), pp = alloc(rows * o);
    const w = arena.commit();
    arena.put(pP, P, 0, n * n);
    arena.put(pW, W, 0, o * n);
    arena.put(hn, H, 0, n);
    w.matVec(n, pP, hn, ph);
    for (let t0 = 0; t0 < T; t0 += rows) {
      const c = Math.min(rows, T - t0);
      arena.put(pH, H, t0 * n, c * n);
      arena.put(pY, Y, t0 * o, c * o);
      const more = t0 + c < T;
      if (more) arena.put(hn, H, (t0 + c) * n, n);
      w.rlsRun(n, o, c, pH, pY, more ? hn : 0, lambda, pP, pW, pp, ph, pw);
      arena.get(pp, c * o, pred, t0 * o);
    }
    w.mirrorUpper(pP, n);
    arena.get(pP, n * n, P, 0);
    arena.get(pW, o * n, W, 0);
  }

  function rlsComplex(n: number, o: number, T: number, Hre: Float64Array, Him: Float64Array, Yre: Float64Array,
    Yim: Float64Array, lambda: number, Pre: Float64Array, Pim: Float64Array, Wre: Float64Array, Wim: Float64Array,
    predRe: Float64Array, predIm: Float64Array, _work: Float64Array): void {
    if (T === 0) return;
    const rows = chunkRows(2 * (n + 2 * o), T);
    arena.reset();
    const pr = alloc(n * n), pi = alloc(n * n), wr = alloc(o * n), wi = alloc(o * n);
    const ph = alloc(2 * n), hnr = alloc(n), hni = alloc(n), pw = alloc(4 * n);
    const hr = alloc(rows * n), hi = alloc(rows * n), yr = alloc(rows * o), yi = alloc(rows * o);
    const qr = alloc(rows * o), qi = alloc(rows * o);
    const w = arena.commit();
    arena.put(pr, Pre, 0, n * n);
    arena.put(pi, Pim, 0, n * n);
    arena.put(wr, Wre, 0, o * n);
    arena.put(wi, Wim, 0, o * n);
    arena.put(hnr, Hre, 0, n);
    arena.put(hni, Him, 0, n);
    w.matVecComplex(n, pr, pi, hnr, hni, ph, ph + 8 * n);
    for (let t0 = 0; t0 < T; t0 += rows) {
      const c = Math.min(rows, T - t0);
      arena.put(hr, Hre, t0 * n, c * n);
      arena.put(hi, Him, t0 * n, c * n);
      arena.put(yr, Yre, t0 * o, c * o);
      arena.put(yi, Yim, t0 * o, c * o);
      const more = t0 + c < T;
      if (more) {
        arena.put(hnr, Hre, (t0 + c) * n, n);
        arena.put(hni, Him, (t0 + c) * n, n);
      }
      w.rlsComplexRun(n, o, c, hr, hi, yr, yi, more ? hnr : 0, more ? hni : 0, lambda, pr, pi, wr, wi, qr, qi, ph, pw);
      arena.get(qr, c * o, predRe, t0 * o);
      arena.get(qi, c * o, predIm, t0 * o);
    }
    w.mirrorHermitian(pr, pi, n);
    arena.get(pr, n * n, Pre, 0);
    arena.get(pi, n * n, Pim, 0);
    arena.get(wr, o * n, Wre, 0);
    arena.get(wi, o * n, Wim, 0);
  }

  return { name: 'wasm', gramAccumulate, gramAccumulateComplex, rls, rlsComplex };
}
