// Real SVD through the bidiagonal form: Golub–Kahan bidiagonalisation, Q_L and Q_R, then bidiagonal QR (bdsqr.ts).
//
// W = Q_L·B·Q_Rᵀ (bidiag.ts / asm/linalg/bidiag.ts), B = Ū·Σ·V̄ᵀ (bdsqr.ts), so W = (Q_L·Ū)·Σ·(Q_R·V̄)ᵀ. Q_L and
// Q_R are formed explicitly by blocked reflector application (4/3·n³ each) and the bidiagonal QR rotations are
// accumulated into them in batches (tridiag.ts SweepBatch), which is cheaper than forming Ū, V̄ and multiplying.
// Golub & Van Loan (4th ed.) §8.6.2; LAPACK dgesvd (path without QR). Pure JS: the js backend's linalg family
// (`bidiagValues`, `bidiagSvd`); the wasm one runs every O(n³) part in linear memory (src/backend/linalg/wasm-svd.ts).
import { bidiagonalise } from './bidiag.js';
import { bdsqr } from './bdsqr.js';
import { applyQReal, formQReal } from './blocked-qr.js';
import { SweepBatch, applySweepsRows, permuteColumns } from './tridiag.js';

/** Thin SVD of a real rows×n matrix (rows ≥ n): s descending (length n), U (rows×n) and Vᵀ (n×n), row-major. */
export interface BidiagSvd {
  readonly s: Float64Array;
  readonly u: Float64Array;
  readonly vt: Float64Array;
}

/** Singular values (descending) of the real rows×n matrix w (rows ≥ n; destroyed). */
export function bidiagValuesReal(rows: number, n: number, w: Float64Array): Float64Array {
  const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1));
  bidiagonalise(rows, n, w, null, d, e, new Float64Array(n), new Float64Array(n));
  bdsqr(n, d, e, null, null, 'svd');
  return d;
}

/** Thin SVD W = U·diag(s)·Vᵀ of the real rows×n matrix w (rows ≥ n ≥ 1; destroyed). */
export function bidiagSvdReal(rows: number, n: number, w: Float64Array): BidiagSvd {
  const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1)), tq = new Float64Array(n), tp = new Float64Array(n);
  bidiagonalise(rows, n, w, null, d, e, tq, tp);
  // Q_L (thin, rows×n) from [I; 0]; Q_R (n×n) from the right reflectors, transposed into columns first
  const u = new Float64Array(rows * n);
  for (let i = 0; i < n; i++) u[i * n + i] = 1;
  applyQReal(rows, n, n, w, tq, u, n, false, true, new Float64Array(n));
  const wt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) wt[j * n + i] = w[i * n + j]!;
  const v = new Float64Array(n * n);
  formQReal(n, wt, tp, v);
  const bu = new SweepBatch(n, (buf, count) => applySweepsRows(u, rows, n, buf, count));
  const bv = new SweepBatch(n, (buf, count) => applySweepsRows(v, n, n, buf, count));
  const { perm, negate } = bdsqr(n, d, e, bu.sink, bv.sink, 'svd');
  bu.flush();
  bv.flush();
  if (negate !== null) {
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (negate[j] === 1) v[i * n + j] = -v[i * n + j]!;
  }
  if (perm !== null) {
    permuteColumns(u, rows, n, perm);
    permuteColumns(v, n, n, perm);
  }
  const vt = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j]!;
  return { s: d, u, vt };
}
