// WebAssembly SIMD implementation of the blas family (asm/blas/): each call copies A, B (and C when beta ≠ 0) into
// linear memory, runs the packed GEMM and copies C back.
import type { Runtime } from '../wasm/runtime.js';
import type { BlasKernels, Trans } from './types.js';

const TRANS_CODE: Readonly<Record<Trans, number>> = { N: 0, T: 1, C: 2 };

/** The blas family on the backend's runtime `arena`. */
export function wasmBlas(arena: Runtime): BlasKernels {
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

  return { name: 'wasm', gemm, zgemm };
}
