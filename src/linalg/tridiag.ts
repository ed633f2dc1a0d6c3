// Symmetric tridiagonal eigenproblem: implicit QL with Wilkinson-type shifts (EISPACK tql1/tql2).
//
// Reference: Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer. Math.
// 11 (1968) 293–306 (EISPACK tql2, as in JAMA); Golub & Van Loan (4th ed.) §8.3.5. The rotations of the QL
// sweeps are collected in batches of about 2^16 doubles and then applied row by row to the accumulated matrices
// (LAPACK dlasr style), a pair of rows through every sweep of the batch, so Z is streamed once per batch
// of sweeps instead of once per sweep (the WebAssembly path applies the same batches, eigh.ts).
import { NumericalError } from '../core/errors.js';
import { EPS } from './checks.js';
import { hyp } from './householder.js';

/** QL iterations allowed per eigenvalue before NumericalError (typically 1–3 are needed). */
export const TQL_MAX_ITER = 60;

/**
 * Receives one sweep of plane rotations: (cs[i], sn[i]) in the planes (i, i+1) for i = first, first ± 1, …, last
 * (descending when first > last), to be applied in that order to the columns of an accumulator Z as
 * (z_i, z_{i+1}) ← (c·z_i − s·z_{i+1}, s·z_i + c·z_{i+1}) (see {@link applySweepsRows}).
 */
export type SweepSink = (first: number, last: number, cs: Float64Array, sn: Float64Array) => void;

/**
 * Eigenvalues of the symmetric tridiagonal T with diagonal d (n) and subdiagonal e (e[i] = T[i+1][i],
 * i < n−1; e must have length n, e[n−1] is ignored and e is destroyed). On return d holds the eigenvalues in
 * ascending order. Each matrix in `zs` (zRows×n, row-major) is multiplied on the right by the eigenvector
 * matrix S of T (Z ← Z·S), with columns permuted along with d: start from Z = I to get S itself, or from Q to
 * get Q·S. Throws NumericalError after {@link TQL_MAX_ITER} iterations on one eigenvalue.
 */
export function tql(n: number, d: Float64Array, e: Float64Array, zs: readonly Float64Array[], zRows: number, where: string): void {
  const wantZ = zs.length > 0 && zRows > 0;
  const batch = wantZ ? new SweepBatch(n, (buf, count) => { for (const z of zs) applySweepsRows(z, zRows, n, buf, count); }) : null;
  const idx = tqlSweeps(n, d, e, where, batch === null ? null : batch.sink);
  if (batch !== null) batch.flush();
  if (idx !== null && wantZ) for (const z of zs) permuteColumns(z, zRows, n, idx);
}

/**
 * The implicit QL iteration of {@link tql} on (d, e) alone: every sweep's rotations go to `sink` (when given)
 * as they are generated; afterwards d is sorted ascending. Returns the sorting permutation (column c of the
 * accumulated eigenvectors must become old column idx[c]), or null when d was already in order.
 */
export function tqlSweeps(n: number, d: Float64Array, e: Float64Array, where: string, sink: SweepSink | null): Int32Array | null {
  if (n === 0) return null;
  e[n - 1] = 0;
  const wantZ = sink !== null;
  const cs = wantZ ? new Float64Array(n) : null, sn = wantZ ? new Float64Array(n) : null;
  let f = 0, tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > TQL_MAX_ITER) throw new NumericalError(`${where}: tridiagonal QL did not converge for eigenvalue ${l} in ${TQL_MAX_ITER} iterations`);
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hyp(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        // implicit QL transformation
        p = d[m]!;
        let c = 1, c2 = 1, c3 = 1, s = 0, s2 = 0;
        const el1 = e[l + 1]!;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hyp(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          if (wantZ) { cs![i] = c; sn![i] = s; }
        }
        if (wantZ) sink(m - 1, l, cs!, sn!);
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l]! += f;
    e[l] = 0;
  }
  // sort ascending
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((x, y) => d[x]! - d[y]! || x - y);
  let sorted = true;
  for (let i = 0; i < n; i++) if (order[i] !== i) { sorted = false; break; }
  if (sorted) return null;
  const idx = Int32Array.from(order);
  const dd = Float64Array.from(idx, (i) => d[i]!);
  d.set(dd);
  return idx;
}

/** Column c of z (zRows×n, row-major) ← old column idx[c], for every row. */
export function permuteColumns(z: Float64Array, zRows: number, n: number, idx: Int32Array): void {
  const tmp = new Float64Array(n);
  for (let row = 0; row < zRows; row++) {
    const o = row * n;
    for (let c = 0; c < n; c++) tmp[c] = z[o + idx[c]!]!;
    z.set(tmp, o);
  }
}

/** Doubles of a sweep batch for order n: up to 2^16 (512 KiB, L2-sized), at least one whole sweep. */
export function batchCapacity(n: number): number {
  return Math.max(2 * n + 4, Math.min(1 << 16, 4 * n * n));
}

/**
 * Collects sweeps into one buffer (layout of asm/linalg/rot.ts: [first, last, c, s, c, s, …] per sweep, pairs in
 * application order) and hands full buffers to `apply(buf, count, len)` (count sweeps in buf[0 .. len)), so that the
 * accumulated matrix is streamed once per batch of sweeps rather than once per sweep. Call flush() after the
 * last sweep.
 */
export class SweepBatch {
  private readonly buf: Float64Array;
  private len = 0;
  private count = 0;
  /** The sink to pass to {@link tqlSweeps}. */
  readonly sink: SweepSink;

  /** capacity: doubles of the buffer (default {@link batchCapacity}(n); at least one sweep, 2n + 4). */
  constructor(n: number, private readonly apply: (buf: Float64Array, count: number, len: number) => void, capacity = batchCapacity(n)) {
    this.buf = new Float64Array(Math.max(capacity, 2 * n + 4));
    this.sink = (l, m, cs, sn) => this.add(l, m, cs, sn);
  }

  private add(first: number, last: number, cs: Float64Array, sn: Float64Array): void {
    const need = 4 + 2 * Math.abs(first - last);
    if (this.len + need > this.buf.length) this.flush();
    const b = this.buf;
    let o = this.len;
    b[o++] = first;
    b[o++] = last;
    if (first >= last) for (let i = first; i >= last; i--) { b[o++] = cs[i]!; b[o++] = sn[i]!; }
    else for (let i = first; i <= last; i++) { b[o++] = cs[i]!; b[o++] = sn[i]!; }
    this.len = o;
    this.count++;
  }

  /** Applies and forgets the collected sweeps. */
  flush(): void {
    if (this.count > 0) this.apply(this.buf, this.count, this.len);
    this.len = 0;
    this.count = 0;
  }
}

/**
 * Applies `count` sweeps stored in buf (layout of {@link SweepBatch}) to the columns of z (zRows×n, row-major),
 * (z_i, z_{i+1}) ← (c·z_i − s·z_{i+1}, s·z_i + c·z_{i+1}) in every row, plane after plane. Rows go two at a time
 * through every sweep of the batch (each row is a serial chain through a carried value; two chains overlap in
 * the CPU), so a pair of rows stays in cache for the whole batch.
 */
export function applySweepsRows(z: Float64Array, zRows: number, n: number, buf: Float64Array, count: number): void {
  let row = 0;
  for (; row + 1 < zRows; row += 2) {
    const o0 = row * n, o1 = o0 + n;
    let r = 0;
    for (let s = 0; s < count; s++) {
      const first = buf[r]! | 0, last = buf[r + 1]! | 0;
      r += 2;
      if (first >= last) {
        // descending: the new z_{i+1} is final, z_i is carried down
        let k0 = z[o0 + first + 1]!, k1 = z[o1 + first + 1]!;
        for (let i = first; i >= last; i--) {
          const ci = buf[r]!, si = buf[r + 1]!;
          r += 2;
          const a0 = z[o0 + i]!, a1 = z[o1 + i]!;
          z[o0 + i + 1] = si * a0 + ci * k0;
          z[o1 + i + 1] = si * a1 + ci * k1;
          k0 = ci * a0 - si * k0;
          k1 = ci * a1 - si * k1;
        }
        z[o0 + last] = k0;
        z[o1 + last] = k1;
      } else {
        // ascending: the new z_i is final, z_{i+1} is carried up
        let k0 = z[o0 + first]!, k1 = z[o1 + first]!;
        for (let i = first; i <= last; i++) {
          const ci = buf[r]!, si = buf[r + 1]!;
          r += 2;
          const a0 = z[o0 + i + 1]!, a1 = z[o1 + i + 1]!;
          z[o0 + i] = ci * k0 - si * a0;
          z[o1 + i] = ci * k1 - si * a1;
          k0 = si * k0 + ci * a0;
          k1 = si * k1 + ci * a1;
        }
        z[o0 + last + 1] = k0;
        z[o1 + last + 1] = k1;
      }
    }
  }
  if (row < zRows) applySweepsRow(z, row * n, buf, count);
}

/** {@link applySweepsRows} for the single row starting at z[o]. */
function applySweepsRow(z: Float64Array, o: number, buf: Float64Array, count: number): void {
  let r = 0;
  for (let s = 0; s < count; s++) {
    const first = buf[r]! | 0, last = buf[r + 1]! | 0;
    r += 2;
    if (first >= last) {
      let carry = z[o + first + 1]!;
      for (let i = first; i >= last; i--) {
        const zi = z[o + i]!, ci = buf[r]!, si = buf[r + 1]!;
        r += 2;
        z[o + i + 1] = si * zi + ci * carry;
        carry = ci * zi - si * carry;
      }
      z[o + last] = carry;
    } else {
      let carry = z[o + first]!;
      for (let i = first; i <= last; i++) {
        const zi = z[o + i + 1]!, ci = buf[r]!, si = buf[r + 1]!;
        r += 2;
        z[o + i] = ci * carry - si * zi;
        carry = si * carry + ci * zi;
      }
      z[o + last + 1] = carry;
    }
  }
}
