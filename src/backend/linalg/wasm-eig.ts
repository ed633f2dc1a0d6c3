// WebAssembly path of the real nonsymmetric eig: Hessenberg reduction, Q and Francis QR in linear memory.
//
// Same algorithm as src/linalg/hqr.ts (hessenbergReal → hqrReal; the JS family's eigReal): the Householder reduction with the left and right
// reflections fused into two passes (asm/linalg/hess.ts), Q by blocked compact-WY application to the identity
// (asm/linalg/wy.ts), and the Francis double-shift iteration with its back-substitution (asm/linalg/hqr.ts).
import { NumericalError } from '../../core/errors.js';
import type { Runtime } from '../wasm/runtime.js';

/**
 * Eigenvalues (into wr + i·wi) of the real n×n h (balanced, not modified) and, when wantV, the real eigenvector
 * matrix in the EISPACK convention of hqrReal (returned). Throws NumericalError when the QR iteration fails.
 */
export function eigRealWasm(rt: Runtime, n: number, h: Float64Array, wantV: boolean, wr: Float64Array, wi: Float64Array,
  where: string): Float64Array | null {
  // the QR sweeps run down columns: an odd leading dimension keeps consecutive rows off the same cache sets
  const ld = n % 2 === 0 ? n + 1 : n;
  rt.reset();
  const ph = rt.alloc(n * n), pp = rt.alloc(n * ld), pt = rt.alloc(n), pw = rt.alloc(Math.max(2 * n, wantV ? n * n : 0));
  const pwr = rt.alloc(n), pwi = rt.alloc(n);
  const pz = wantV ? rt.alloc(n * n) : 0, pq = wantV ? rt.alloc(rt.sizes.applyQWorkSize(n, n)) : 0;
  const x = rt.commit();
  rt.put(ph, h, 0, n * n);
  x.hessenbergReduce(n, ph, pt, pw);
  if (wantV) {
    // Q = H₀⋯H_{n−3} = diag(1, Q'), accumulated backwards into the identity
    x.setIdentity(n, n, pz);
    x.applyQ(n - 1, n, n - 2, ph + 8 * n, pt, pz + 8 * (n + 1), n, n - 1, 0, 1, pq);
  }
  x.zeroBelowSubdiagonal(n, ph);
  x.copyBlock(n, n, ph, n, pp, ld);
  if (x.hqrReduce(n, ld, pp, pz, pwr, pwi, pw) < 0) {
    throw new NumericalError(`${where}: Francis QR did not converge in ${30 * Math.max(10, n)} iterations (n = ${n})`);
  }
  rt.get(pwr, n, wr, 0);
  rt.get(pwi, n, wi, 0);
  if (!wantV) return null;
  const z = new Float64Array(n * n);
  rt.get(pz, n * n, z, 0);
  return z;
}
