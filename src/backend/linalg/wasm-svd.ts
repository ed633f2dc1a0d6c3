// WebAssembly path of the real bidiagonal SVD (src/linalg/svd-bidiag.ts): bidiagonalisation, Q_L, Q_R and the rotations in linear memory.
import type { Runtime } from '../wasm/runtime.js';
import { bdsqr } from '../../linalg/bdsqr.js';
import { SweepBatch, batchCapacity } from '../../linalg/tridiag.js';
import type { BidiagSvd } from '../../linalg/svd-bidiag.js';

/** Bidiagonalises the rows×n w (rows ≥ n) in linear memory: d (n), e (n−1) receive B. */
export function bidiagValuesWasm(rt: Runtime, rows: number, n: number, w: Float64Array, d: Float64Array, e: Float64Array): void {
  rt.reset();
  const pa = rt.alloc(rows * n), pd = rt.alloc(n), pe = rt.alloc(n), ptq = rt.alloc(n), ptp = rt.alloc(n);
  const pw = rt.alloc(rows + 2 * n);
  const x = rt.commit();
  rt.put(pa, w, 0, rows * n);
  x.bidiagReduce(rows, n, pa, pd, pe, ptq, ptp, pw);
  rt.get(pd, n, d, 0);
  rt.get(pe, n - 1, e, 0);
}

/**
 * {@link bidiagSvdReal} in linear memory. The rotations act on Uᵀ (n×rows) and V̄ᵀ (n×n) there (asm/linalg/rot.ts
 * wants the accumulators transposed); sign flips and the sort permutation are applied to their rows in JS.
 */
export function bidiagSvdWasm(rt: Runtime, rows: number, n: number, w: Float64Array): BidiagSvd {
  rt.reset();
  const pa = rt.alloc(rows * n), pd = rt.alloc(n), pe = rt.alloc(n), ptq = rt.alloc(n), ptp = rt.alloc(n);
  const pw = rt.alloc(rows + 2 * n), pu = rt.alloc(n * rows), pv = rt.alloc(n * n), ps = rt.alloc(rows * n);
  const pq = rt.alloc(rt.sizes.applyQWorkSize(rows, n)), prot = rt.alloc(batchCapacity(n)), prw = rt.alloc(8 * n);
  const x = rt.commit();
  rt.put(pa, w, 0, rows * n);
  x.bidiagReduce(rows, n, pa, pd, pe, ptq, ptp, pw);
  const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1));
  rt.get(pd, n, d, 0);
  rt.get(pe, n - 1, e, 0);
  // Q_L = [I; 0] with the left reflectors applied backwards, then Uᵀ
  x.setIdentity(n, n, ps);
  rt.zero(ps + 8 * n * n, (rows - n) * n);
  x.applyQ(rows, n, n, pa, ptq, ps, n, n, 0, 1, pq);
  x.transposeInto(rows, n, ps, n, pu, rows);
  // Q_R = diag(1, Q'): the right reflectors, transposed into columns, applied to the identity; then V̄ᵀ
  x.transposeInto(n, n, pa, n, ps, n);
  x.setIdentity(n, n, pv);
  x.applyQ(n - 1, n, n - 2, ps + 8 * n, ptp, pv + 8 * (n + 1), n, n - 1, 0, 1, pq);
  x.transposeSquare(n, pv);
  const bu = new SweepBatch(n, (buf, count, len) => { rt.put(prot, buf, 0, len); x.rotateSweepsT(n, rows, pu, rows, prot, count, prw); });
  const bv = new SweepBatch(n, (buf, count, len) => { rt.put(prot, buf, 0, len); x.rotateSweepsT(n, n, pv, n, prot, count, prw); });
  const { perm, negate } = bdsqr(n, d, e, bu.sink, bv.sink, 'svd');
  bu.flush();
  bv.flush();
  const ut = new Float64Array(n * rows), vt0 = new Float64Array(n * n);
  rt.get(pu, n * rows, ut, 0);
  rt.get(pv, n * n, vt0, 0);
  if (negate !== null) for (let j = 0; j < n; j++) if (negate[j] === 1) for (let c = 0; c < n; c++) vt0[j * n + c] = -vt0[j * n + c]!;
  // row r of Vᵀ = old row perm[r]; U[i, r] = Uᵀ[perm[r], i]
  const vt = perm === null ? vt0 : new Float64Array(n * n);
  if (perm !== null) for (let r = 0; r < n; r++) vt.set(vt0.subarray(perm[r]! * n, (perm[r]! + 1) * n), r * n);
  const u = new Float64Array(rows * n);
  for (let r = 0; r < n; r++) {
    const o = (perm === null ? r : perm[r]!) * rows;
    for (let i = 0; i < rows; i++) u[i * n + r] = ut[o + i]!;
  }
  return { s: d, u, vt };
}
