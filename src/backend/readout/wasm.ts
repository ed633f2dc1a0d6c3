// WebAssembly SIMD backend of the hot kernels (src/kernels/kernels.ts), compiled from asm/ by scripts/build-wasm.mjs.
//
// Each call copies its inputs into linear memory (Runtime), runs the kernel and copies the outputs back.
// Long sequences go through in chunks of rows (CHUNK_DOUBLES of data per chunk) so the arena stays small and
// each chunk is copied out while it is still in cache; parameters (W, P, statistics) stay resident per call.
import type { CRolloutParams, Kernels, RolloutParams, Trans } from '../kernels.js';
import { compileKernels } from './module.js';
import { Runtime } from './runtime.js';

export { wasmSimdAvailable } from './module.js';

/** Target size of one chunk of sequence data (doubles): 256 KiB, comfortably inside L2. */
const CHUNK_DOUBLES = 1 << 15;
/** Rows per chunk of a sequence whose rows hold `width` doubles (at least `min`, a multiple of `min`). */
function chunkRows(width: number, total: number, min = 1): number {
  const rows = Math.max(min, Math.floor(CHUNK_DOUBLES / Math.max(1, width) / min) * min);
  return Math.max(1, Math.min(total, rows));
}

const TRANS_CODE: Readonly<Record<Trans, number>> = { N: 0, T: 1, C: 2 };

function makeKernels(arena: Runtime): Kernels {
  const alloc = (doubles: number): number => arena.alloc(doubles);

  function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
    a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void {
    if (m === 0 || n === 0) return;
    arena.reset();
    const pa = alloc(m * k), pb = alloc(k * n), pc = alloc(m * n), pw = alloc(arena.sizes.gemmWorkSize(m, n, k, 1));
    const w = arena.commit();
    const product = alpha !== 0 && k !== 0;
    if (product) {
      arena.put(pa, a, 0, m * k);
      arena.put(pb, b, 0, k * n);
    }
    if (beta !== 0) arena.put(pc, c, 0, m * n);
    w.gemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, pa, pb, beta, pc, pw);
    arena.get(pc, m * n, c, 0);
  }

  function zgemm(transA: Trans, transB: Trans, m: number, n: number, k: number, alpha: number,
    aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, beta: number,
    cRe: Float64Array, cIm: Float64Array): void {
    if (m === 0 || n === 0) return;
    arena.reset();
    const ar = alloc(m * k), ai = alloc(m * k), br = alloc(k * n), bi = alloc(k * n);
    const cr = alloc(m * n), ci = alloc(m * n), pw = alloc(arena.sizes.gemmWorkSize(m, n, k, 2));
    const w = arena.commit();
    if (alpha !== 0 && k !== 0) {
      arena.put(ar, aRe, 0, m * k);
      arena.put(ai, aIm, 0, m * k);
      arena.put(br, bRe, 0, k * n);
      arena.put(bi, bIm, 0, k * n);
    }
    if (beta !== 0) {
      arena.put(cr, cRe, 0, m * n);
      arena.put(ci, cIm, 0, m * n);
    }
    w.zgemm(TRANS_CODE[transA], TRANS_CODE[transB], m, n, k, alpha, ar, ai, br, bi, beta, cr, ci, pw);
    arena.get(cr, m * n, cRe, 0);
    arena.get(ci, m * n, cIm, 0);
  }

  function rollout(p: RolloutParams, batch: number, steps: number, x: Float64Array, h0: Float64Array | null,
    states: Float64Array): void {
    const { n, nIn } = p;
    if (n === 0 || steps === 0 || batch === 0) return;
    const rows = chunkRows(n + nIn, steps);
    const zLen = arena.sizes.rolloutStepSize(n, nIn);
    arena.reset();
    const pW = alloc(n * n), pU = alloc(n * nIn), pb = p.bias === null ? 0 : alloc(n);
    const wp = alloc(arena.sizes.rolloutPackedSize(n, nIn)), z = alloc(2 * zLen);
    const px = alloc(rows * nIn), ps = alloc(rows * n);
    const w = arena.commit();
    arena.put(pW, p.W, 0, n * n);
    arena.put(pU, p.U, 0, n * nIn);
    if (p.bias !== null) arena.put(pb, p.bias, 0, n);
    w.rolloutPack(n, nIn, pW, pU, pb, wp);
    arena.zero(z, 2 * zLen);
    const hz = z + 8 * nIn; // h_{t−1} slot of the first step vector
    for (let b = 0; b < batch; b++) {
      if (h0 === null) arena.zero(hz, n);
      else arena.put(hz, h0, b * n, n);
      for (let t0 = 0; t0 < steps; t0 += rows) {
        const c = Math.min(rows, steps - t0);
        const row = b * steps + t0;
        arena.put(px, x, row * nIn, c * nIn);
        w.rolloutRun(n, nIn, wp, p.leak, p.tanh ? 1 : 0, c, px, z, ps);
        arena.get(ps, c * n, states, row * n);
      }
    }
  }

  function rolloutComplex(p: CRolloutParams, batch: number, steps: number, xRe: Float64Array, xIm: Float64Array,
    h0Re: Float64Array | null, h0Im: Float64Array | null, statesRe: Float64Array, statesIm: Float64Array): void {
    const { n, nIn } = p;
    if (n === 0 || steps === 0 || batch === 0) return;
    const rows = chunkRows(2 * (n + nIn), steps);
    const zLen = arena.sizes.rolloutStepSize(n, nIn);
    arena.reset();
    const wr = alloc(n * n), wi = alloc(n * n), ur = alloc(n * nIn), ui = alloc(n * nIn);
    const br = p.biasRe === null ? 0 : alloc(n), bi = p.biasIm === null ? 0 : alloc(n);
    const wp = alloc(arena.sizes.rolloutComplexPackedSize(n, nIn)), zr = alloc(2 * zLen), zi = alloc(2 * zLen);
    const xr = alloc(rows * nIn), xi = alloc(rows * nIn), sr = alloc(rows * n), si = alloc(rows * n);
    const w = arena.commit();
    arena.put(wr, p.Wre, 0, n * n);
    arena.put(wi, p.Wim, 0, n * n);
    arena.put(ur, p.Ure, 0, n * nIn);
    arena.put(ui, p.Uim, 0, n * nIn);
    if (p.biasRe !== null) arena.put(br, p.biasRe, 0, n);
    if (p.biasIm !== null) arena.put(bi, p.biasIm, 0, n);
    w.rolloutComplexPack(n, nIn, wr, wi, ur, ui, br, bi, wp);
    arena.zero(zr, 2 * zLen);
    arena.zero(zi, 2 * zLen);
    const hr = zr + 8 * nIn, hi = zi + 8 * nIn;
    for (let b = 0; b < batch; b++) {
      if (h0Re === null) arena.zero(hr, n);
      else arena.put(hr, h0Re, b * n, n);
      if (h0Im === null) arena.zero(hi, n);
      else arena.put(hi, h0Im, b * n, n);
      for (let t0 = 0; t0 < steps; t0 += rows) {
        const c = Math.min(rows, steps - t0);
        const row = b * steps + t0;
        arena.put(xr, xRe, row * nIn, c * nIn);
        arena.put(xi, xIm, row * nIn, c * nIn);
        w.rolloutComplexRun(n, nIn, wp, p.leak, c, xr, xi, zr, zi, sr, si);
        arena.get(sr, c * n, statesRe, row * n);
        arena.get(si, c * n, statesIm, row * n);
      }
    }
  }

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

  return { name: 'wasm', gemm, zgemm, rollout, rolloutComplex, gramAccumulate, gramAccumulateComplex, rls, rlsComplex };
}

let instance: Kernels | null | undefined;

/**
 * The WebAssembly SIMD kernels, or null when this engine lacks WebAssembly or 128-bit SIMD. The module is
 * compiled and instantiated synchronously on the first call and shared afterwards (see compileKernels for the
 * browser caveat). Register with `registerKernels('wasm', wasmKernels)`.
 */
export function wasmKernels(): Kernels | null {
  if (instance === undefined) {
    const module = compileKernels();
    const runtime = module === null ? null : Runtime.create(module);
    instance = runtime === null ? null : makeKernels(runtime);
  }
  return instance;
}
