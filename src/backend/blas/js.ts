// JS reference of the blas family (gemm, zgemm): plain loops, no allocation.
import type { BlasKernels, Trans } from './types.js';

function scaleInto(c: Float64Array, len: number, beta: number): void {
  if (beta === 0) c.fill(0, 0, len);
  else if (beta !== 1) for (let i = 0; i < len; i++) c[i]! *= beta;
}

function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float64Array, b: Float64Array, beta: number, c: Float64Array): void {
  scaleInto(c, m * n, beta);
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // C[i, :] += alpha * op(A)[i, p] * B[p, :]  (contiguous inner loop over j)
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[p * m + i]! : a[i * k + p]!);
        if (aip === 0) continue;
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
      }
    }
  } else {
    // C[i, j] += alpha * <op(A)[i, :], B[j, :]>
    for (let i = 0; i < m; i++) {
      const ci = i * n;
      for (let j = 0; j < n; j++) {
        const bj = j * k;
        let s = 0;
        if (!transA) {
          const ai = i * k;
          for (let p = 0; p < k; p++) s += a[ai + p]! * b[bj + p]!;
        } else {
          for (let p = 0; p < k; p++) s += a[p * m + i]! * b[bj + p]!;
        }
        c[ci + j]! += alpha * s;
      }
    }
  }
}

function zgemm(transA: Trans, transB: Trans, m: number, n: number, k: number, alpha: number,
  aRe: Float64Array, aIm: Float64Array, bRe: Float64Array, bIm: Float64Array, beta: number,
  cRe: Float64Array, cIm: Float64Array): void {
  scaleInto(cRe, m * n, beta);
  scaleInto(cIm, m * n, beta);
  if (alpha === 0 || k === 0) return;
  const sa = transA === 'C' ? -1 : 1;
  const sb = transB === 'C' ? -1 : 1;
  const bRowMajor = transB === 'N';
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const ai = transA === 'N' ? i * k + p : p * m + i;
      const ar = alpha * aRe[ai]!, aim = alpha * sa * aIm[ai]!;
      if (ar === 0 && aim === 0) continue;
      if (bRowMajor) {
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const br = bRe[bp + j]!, bi = bIm[bp + j]!;
          cRe[ci + j]! += ar * br - aim * bi;
          cIm[ci + j]! += ar * bi + aim * br;
        }
      } else {
        for (let j = 0; j < n; j++) {
          const bj = j * k + p;
          const br = bRe[bj]!, bi = sb * bIm[bj]!;
          cRe[ci + j]! += ar * br - aim * bi;
          cIm[ci + j]! += ar * bi + aim * br;
        }
      }
    }
  }
}

/** The JS reference blas family. */
export const jsBlas: BlasKernels = { name: 'js', gemm, zgemm };
