// Symmetric tridiagonal eigenproblem: implicit QL with Wilkinson-type shifts (EISPACK tql1/tql2).
//
// Reference: Bowdler, Martin, Reinsch & Wilkinson, "The QR and QL algorithms for symmetric matrices", Numer. Math.
// 11 (1968) 293–306 (EISPACK tql2, as in JAMA); Golub & Van Loan (4th ed.) §8.3.5. The rotations of one QL sweep
// are stored and then applied row by row to the accumulated matrices (LAPACK dlasr style), so every row of Z is
// streamed once per sweep instead of once per rotation.
import { NumericalError } from '../core/errors.js';
import { EPS } from './checks.js';
import { hyp } from './householder.js';

/** QL iterations allowed per eigenvalue before NumericalError (typically 1–3 are needed). */
export const TQL_MAX_ITER = 60;

/**
 * Eigenvalues of the symmetric tridiagonal T with diagonal d (n) and subdiagonal e (e[i] = T[i+1][i],
 * i < n−1; e must have length n, e[n−1] is ignored and e is destroyed). On return d holds the eigenvalues in
 * ascending order. Each matrix in `zs` (zRows×n, row-major) is multiplied on the right by the eigenvector
 * matrix S of T (Z ← Z·S), with columns permuted along with d: start from Z = I to get S itself, or from Q to
 * get Q·S. Throws NumericalError after {@link TQL_MAX_ITER} iterations on one eigenvalue.
 */
export function tql(n: number, d: Float64Array, e: Float64Array, zs: readonly Float64Array[], zRows: number, where: string): void {
  if (n === 0) return;
  e[n - 1] = 0;
  const wantZ = zs.length > 0 && zRows > 0;
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
        if (wantZ) for (const z of zs) applyRotations(z, zRows, n, l, m, cs!, sn!);
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l]! += f;
    e[l] = 0;
  }
  // sort ascending, permuting the columns of every z
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => d[x]! - d[y]! || x - y);
  let sorted = true;
  for (let i = 0; i < n; i++) if (idx[i] !== i) { sorted = false; break; }
  if (sorted) return;
  const dd = Float64Array.from(idx, (i) => d[i]!);
  d.set(dd);
  if (!wantZ) return;
  const tmp = new Float64Array(n);
  for (const z of zs) {
    for (let row = 0; row < zRows; row++) {
      const o = row * n;
      for (let c = 0; c < n; c++) tmp[c] = z[o + idx[c]!]!;
      z.set(tmp, o);
    }
  }
}

/**
 * Applies the plane rotations (c_i, s_i), i = m−1 down to l, to columns (i, i+1) of every row of z (zRows×n).
 * Each row is a serial chain through `carry`; four rows are interleaved so their chains overlap in the CPU.
 */
function applyRotations(z: Float64Array, zRows: number, n: number, l: number, m: number, cs: Float64Array, sn: Float64Array): void {
  let row = 0;
  for (; row + 3 < zRows; row += 4) {
    const o0 = row * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    let k0 = z[o0 + m]!, k1 = z[o1 + m]!, k2 = z[o2 + m]!, k3 = z[o3 + m]!;
    for (let i = m - 1; i >= l; i--) {
      const ci = cs[i]!, si = sn[i]!;
      const a0 = z[o0 + i]!, a1 = z[o1 + i]!, a2 = z[o2 + i]!, a3 = z[o3 + i]!;
      z[o0 + i + 1] = si * a0 + ci * k0;
      z[o1 + i + 1] = si * a1 + ci * k1;
      z[o2 + i + 1] = si * a2 + ci * k2;
      z[o3 + i + 1] = si * a3 + ci * k3;
      k0 = ci * a0 - si * k0;
      k1 = ci * a1 - si * k1;
      k2 = ci * a2 - si * k2;
      k3 = ci * a3 - si * k3;
    }
    z[o0 + l] = k0;
    z[o1 + l] = k1;
    z[o2 + l] = k2;
    z[o3 + l] = k3;
  }
  for (; row < zRows; row++) {
    const o = row * n;
    let carry = z[o + m]!;
    for (let i = m - 1; i >= l; i--) {
      const zi = z[o + i]!, ci = cs[i]!, si = sn[i]!;
      z[o + i + 1] = si * zi + ci * carry;
      carry = ci * zi - si * carry;
    }
    z[o + l] = carry;
  }
}
