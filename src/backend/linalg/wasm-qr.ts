// WebAssembly path of the blocked real Householder QR and of the application of its Q (asm/linalg/wy.ts).
//
// Same conventions and algorithm as src/linalg/blocked-qr.ts (panels of 32 reflectors, compact WY), with the panel
// products on the 4 × 4 GEMM microkernel. Each call copies its operands into linear memory and back.
import type { Runtime } from '../wasm/runtime.js';

/** {@link qrFactorReal} in linear memory: a (m×n) is overwritten by R and the reflectors, tau (≥ min(m, n)) by τ. */
export function qrFactorWasm(rt: Runtime, m: number, n: number, a: Float64Array, tau: Float64Array): void {
  const k = Math.min(m, n);
  rt.reset();
  const pa = rt.alloc(m * n), pt = rt.alloc(k), pw = rt.alloc(rt.sizes.qrFactorWorkSize(m, n));
  const x = rt.commit();
  rt.put(pa, a, 0, m * n);
  x.qrFactor(m, n, pa, pt, pw);
  rt.get(pa, m * n, a, 0);
  rt.get(pt, k, tau, 0);
}

/**
 * {@link applyQReal} in linear memory: C (m×p) ← Q·C or Qᵀ·C for the first k reflectors of the m×n factor f;
 * with formQ, C is [I; 0] on entry (backward accumulation touching only the columns that can change).
 */
export function applyQWasm(rt: Runtime, m: number, n: number, k: number, f: Float64Array, tau: Float64Array,
  c: Float64Array, p: number, adjoint: boolean, formQ: boolean): void {
  rt.reset();
  const pf = rt.alloc(m * n), pt = rt.alloc(k), pc = rt.alloc(m * p), pw = rt.alloc(rt.sizes.applyQWorkSize(m, p));
  const x = rt.commit();
  rt.put(pf, f, 0, m * n);
  rt.put(pt, tau, 0, k);
  rt.put(pc, c, 0, m * p);
  x.applyQ(m, n, k, pf, pt, pc, p, p, adjoint ? 1 : 0, formQ ? 1 : 0, pw);
  rt.get(pc, m * p, c, 0);
}
