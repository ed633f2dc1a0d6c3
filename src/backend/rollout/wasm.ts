// WebAssembly SIMD implementation of the rollout family (asm/rollout/): W, U and the bias are packed once per call and
// stay resident; the sequences go through in chunks of rows (about 256 KiB each) copied in and out while in cache.
import { chunkRows, type Runtime } from '../wasm/runtime.js';
import type { CRolloutParams, RolloutKernels, RolloutParams } from './types.js';

/** The rollout family on the backend's runtime `arena`. */
export function wasmRollout(arena: Runtime): RolloutKernels {
  const alloc = (doubles: number): number => arena.alloc(doubles);

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

  return { name: 'wasm', rollout, rolloutComplex };
}
