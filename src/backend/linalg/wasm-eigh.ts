// WebAssembly path of the real symmetric eigh: tridiagonalisation, divide and conquer and Q·S in linear memory.
//
// Same algorithm as the JS family's eighReal (./js.ts): the fused tridiagonalisation (asm/linalg/tridiag.ts), eigenvalues by
// implicit QL (asm/linalg/tql.ts, the loop of src/linalg/tridiag.ts operation for operation; the same code with and
// without vectors, so the values are bit-identical), eigenvectors S of T by divide and conquer (src/linalg/tridiag-dc.ts,
// merges on the GEMM microkernel, wasm-dc.ts), then V = Q·S by blocked compact-WY application of the reflectors
// to S (asm/linalg/wy.ts), never forming Q.
import { NumericalError } from '../../core/errors.js';
import type { Runtime } from '../wasm/runtime.js';
import { TQL_MAX_ITER } from '../../linalg/tridiag.js';
import { tridiagDC } from '../../linalg/tridiag-dc.js';
import { DcMatrixWasm } from './wasm-dc.js';

/**
 * Eigenvalues (into d, ascending) and, when wantV, eigenvectors (returned as the columns of an n×n row-major
 * array) of the real symmetric matrix whose lower triangle is in `data` (n×n, not modified), divided by `scale`
 * (> 0) first.
 */
export function eighRealWasm(rt: Runtime, n: number, data: Float64Array, scale: number, d: Float64Array,
  wantV: boolean): Float64Array | null {
  rt.reset();
  const pa = rt.alloc(n * n), pd = rt.alloc(n), pe = rt.alloc(n), pt = rt.alloc(n), pw = rt.alloc(4 * n);
  const pz = wantV ? rt.alloc(n * n) : 0, pq = wantV ? rt.alloc(rt.sizes.applyQWorkSize(n, n)) : 0;
  const dc = wantV ? DcMatrixWasm.reserve(rt, n, pz) : null;
  const x = rt.commit();
  rt.put(pa, data, 0, n * n);
  x.tridiagLower(n, pa, scale, pd, pe, pt, pw);
  // the tridiagonal, kept for the divide and conquer (the QL below destroys it)
  const dd = new Float64Array(dc === null ? 0 : n), ee = new Float64Array(dc === null ? 0 : n);
  if (dc !== null) {
    rt.get(pd, n, dd, 0);
    rt.get(pe, n - 1, ee, 0);
  }
  // eigenvalues: QL in linear memory on (d, e), sorted ascending
  const status = x.tqlValues(n, pd, pe, TQL_MAX_ITER);
  if (status < 0) {
    throw new NumericalError(`eigh: tridiagonal QL did not converge for eigenvalue ${-status - 1} in ${TQL_MAX_ITER} iterations`);
  }
  rt.get(pd, n, d, 0);
  d.sort();
  if (dc === null) return null;
  rt.zero(pz, n * n);
  tridiagDC(n, dd, ee, dc(x), 'eigh');
  // V = Q·S = diag(1, Q')·S: the reflectors act on rows 1..n−1 of S
  x.applyQ(n - 1, n, n - 2, pa + 8 * n, pt, pz + 8 * n, n, n, 0, 0, pq);
  const z = new Float64Array(n * n);
  rt.get(pz, n * n, z, 0);
  return z;
}
