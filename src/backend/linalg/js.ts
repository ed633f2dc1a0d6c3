// JS reference of the linalg family: the pure-JS decomposition paths of src/linalg (the WebAssembly family's twin).
import { applyQReal, qrFactorReal } from '../../linalg/blocked-qr.js';
import { hessenbergReal, hqrReal } from '../../linalg/hqr.js';
import { bidiagSvdReal, bidiagValuesReal } from '../../linalg/svd-bidiag.js';
import { tql } from '../../linalg/tridiag.js';
import { tridiagVectors } from '../../linalg/tridiag-dc.js';
import { tridiagReal } from '../../linalg/tridiag-real.js';
import { jsBlas } from '../blas/js.js';
import type { LinalgKernels } from './types.js';

const NO_WORK = new Float64Array(0);

/** Tridiagonalisation (tridiag-real.ts), QL values (tridiag.ts), divide and conquer (tridiag-dc.ts), V = Q·S. */
function eighReal(n: number, data: Float64Array, scale: number, d: Float64Array, wantV: boolean): Float64Array | null {
  const w = Float64Array.from(data);
  if (scale !== 1) for (let i = 0; i < w.length; i++) w[i]! /= scale;
  const e = new Float64Array(Math.max(n, 1)), taus = new Float64Array(n);
  tridiagReal(n, w, d, e, taus);
  const z = wantV ? tridiagVectors(n, d, e, jsBlas) : null;
  tql(n, d, e, [], 0, 'eigh');
  // V = Q·S = diag(1, Q')·S: the reflectors act on rows 1..n−1 of S
  if (z !== null) applyQReal(n - 1, n, n - 2, w.subarray(n), taus, z.subarray(n), n, false, false, NO_WORK);
  return z;
}

/** Hessenberg reduction and Francis QR (hqr.ts). */
function eigReal(n: number, h: Float64Array, wantV: boolean, wr: Float64Array, wi: Float64Array, where: string): Float64Array | null {
  const z = wantV ? new Float64Array(n * n) : null;
  hessenbergReal(n, h, z);
  hqrReal(n, h, z, wr, wi, where);
  return z;
}

/** The JS reference linalg family. */
export const jsLinalg: LinalgKernels = {
  name: 'js',
  eighReal,
  eigReal,
  qrFactor: (m, n, a, tau) => qrFactorReal(m, n, a, tau, NO_WORK),
  applyQ: (m, n, k, f, tau, c, p, adjoint, formQ) => applyQReal(m, n, k, f, tau, c, p, adjoint, formQ, NO_WORK),
  bidiagValues: (rows, n, w) => bidiagValuesReal(rows, n, w),
  bidiagSvd: (rows, n, w) => bidiagSvdReal(rows, n, w),
};
