// Symmetric tridiagonal eigenvectors by divide and conquer (Cuppen; LAPACK dstedc/dlaed0–dlaed3).
//
// References: Cuppen, "A divide and conquer method for the symmetric tridiagonal eigenproblem", Numer. Math. 36
// (1981) 177–195; Gu & Eisenstat, SIAM J. Matrix Anal. Appl. 16(1), 1995, doi:10.1137/S0895479892241287;
// Golub & Van Loan (4th ed.) §8.4.4; LAPACK dlaed0/1/2/3 (deflation and column types as there).
// T = diag(T₁, T₂) + |ρ|·v·vᵀ with ρ = e_{mid−1} (the last diagonal entry of T₁ and the first of T₂ lowered
// by |ρ|); the halves are solved recursively (QL, tridiag.ts, below LEAF rows), and the merge solves
// D + ρ'·z·zᵀ, z = [last row of Q₁; ±first row of Q₂]/√2, ρ' = 2|ρ|: entries with ρ'|z_j| ≤ tol and pairs with
// close d (one Givens rotation) deflate, the remaining k roots come from the secular equation (secular.ts), and
// the merged eigenvectors are [Q₁ 0; 0 Q₂]·U, formed as two products on the column blocks that are nonzero
// in the top and bottom rows (about 4n³/3 flops over all levels, less with deflation). The eigenvector matrix
// lives behind {@link DcMatrix}, a JS array here and linear memory in src/backend/linalg/wasm-dc.ts.
import type { BlasKernels } from '../backend/blas/types.js';
import { secularRoot, secularVectors } from './secular.js';
import { tql } from './tridiag.js';

/** Subproblems up to this size are solved by QL with vectors. */
export const DC_LEAF = 32;

/** Unit roundoff 2^-53 (LAPACK dlamch('E')). */
const ULP = 2 ** -53;

/**
 * The n×n eigenvector matrix Q of the divide and conquer, wherever it lives. Blocks are addressed by their first
 * row/column `lo` (diagonal blocks Q[lo:lo+s, lo:lo+s]); column indices are absolute.
 */
export interface DcMatrix {
  /** Q[lo:lo+s, lo:lo+s] ← the s×s row-major S (a leaf's eigenvectors). */
  setBlock(lo: number, s: number, S: Float64Array): void;
  /** out[off + c] ← Q[r, c0 + c], c < len. */
  getRow(r: number, c0: number, len: number, out: Float64Array, off: number): void;
  /** Rows [lo, hi) of columns a, b: (x, y) ← (c·x + s·y, c·y − s·x) (LAPACK drot). */
  rotateColumns(lo: number, hi: number, a: number, b: number, c: number, s: number): void;
  /**
   * The merge of block [lo, lo+n1+n2): with W (s×s, s = n1+n2) ← [Q[lo:lo+n1, top]·u1 ; Q[lo+n1:, bottom]·u2 |
   * Q[lo:, deflated]], i.e. k new columns then the deflated ones, Q[lo:, lo:lo+s] ← W[:, order].
   * u1 is top.length×k, u2 bottom.length×k, row-major.
   */
  merge(lo: number, n1: number, n2: number, top: Int32Array, u1: Float64Array, bottom: Int32Array, u2: Float64Array,
    k: number, deflated: Int32Array, order: Int32Array): void;
}

/**
 * Eigenvalues (into d, ascending) and eigenvectors (into q, columns) of the n×n symmetric tridiagonal (d, e),
 * e[i] = T[i+1][i]; d and e are destroyed. q starts as zeros.
 */
export function tridiagDC(n: number, d: Float64Array, e: Float64Array, q: DcMatrix, where: string): void {
  if (n === 0) return;
  solve(0, n, d, e, q, where);
}

function solve(lo: number, hi: number, d: Float64Array, e: Float64Array, q: DcMatrix, where: string): void {
  const s = hi - lo;
  if (s <= DC_LEAF) {
    const dd = d.slice(lo, hi), ee = new Float64Array(s);
    for (let i = 0; i + 1 < s; i++) ee[i] = e[lo + i]!;
    const S = new Float64Array(s * s);
    for (let i = 0; i < s; i++) S[i * s + i] = 1;
    tql(s, dd, ee, [S], s, where);
    d.set(dd, lo);
    q.setBlock(lo, s, S);
    return;
  }
  const mid = lo + (s >> 1);
  const rho = e[mid - 1]!;
  d[mid - 1]! -= Math.abs(rho);
  d[mid]! -= Math.abs(rho);
  solve(lo, mid, d, e, q, where);
  solve(mid, hi, d, e, q, where);
  merge(lo, mid, hi, rho, d, q, where);
}

/** Merges the solved halves [lo, mid) and [mid, hi) coupled by ρ (LAPACK dlaed1 → dlaed2 → dlaed3). */
function merge(lo: number, mid: number, hi: number, rho0: number, d: Float64Array, q: DcMatrix, where: string): void {
  const s = hi - lo, n1 = mid - lo;
  // z = [last row of Q₁; first row of Q₂]/√2 (second half negated for ρ < 0), ρ' = 2|ρ|
  const z = new Float64Array(s);
  q.getRow(mid - 1, lo, n1, z, 0);
  q.getRow(mid, mid, s - n1, z, n1);
  const r2 = Math.SQRT1_2;
  for (let j = 0; j < s; j++) z[j] = (j >= n1 && rho0 < 0 ? -z[j]! : z[j]!) * r2;
  const rho = 2 * Math.abs(rho0);
  const dv = d.slice(lo, hi);
  // the two halves are ascending: merge them into one ascending order
  const idx = new Int32Array(s);
  for (let a = 0, b = n1, t = 0; t < s; t++) idx[t] = b >= s || (a < n1 && dv[a]! <= dv[b]!) ? a++ : b++;
  let dmax = 0, zmax = 0;
  for (let j = 0; j < s; j++) { dmax = Math.max(dmax, Math.abs(dv[j]!)); zmax = Math.max(zmax, Math.abs(z[j]!)); }
  const tol = 8 * ULP * Math.max(dmax, zmax);
  // column types (LAPACK dlaed2): 1 nonzero in the top rows only, 2 in both, 3 in the bottom rows only
  const type = new Uint8Array(s);
  for (let j = 0; j < s; j++) type[j] = j < n1 ? 1 : 3;
  const keep: number[] = [];
  const defl: number[] = [];
  if (rho * zmax > tol) {
    let pj = -1;
    for (let t = 0; t < s; t++) {
      const nj = idx[t]!;
      if (rho * Math.abs(z[nj]!) <= tol) { defl.push(nj); continue; }
      if (pj < 0) { pj = nj; continue; }
      // close eigenvalues: a rotation zeroes z_pj; deflate pj when the coupling it leaves is negligible
      let sn = z[pj]!, cs = z[nj]!;
      const tau = Math.hypot(cs, sn), t0 = dv[nj]! - dv[pj]!;
      cs /= tau;
      sn = -sn / tau;
      if (Math.abs(t0 * cs * sn) <= tol) {
        z[nj] = tau;
        z[pj] = 0;
        if (type[nj] !== type[pj]) type[nj] = 2;
        q.rotateColumns(lo, hi, lo + pj, lo + nj, cs, sn);
        const tp = dv[pj]! * cs * cs + dv[nj]! * sn * sn;
        dv[nj] = dv[pj]! * sn * sn + dv[nj]! * cs * cs;
        dv[pj] = tp;
        defl.push(pj);
      } else keep.push(pj);
      pj = nj;
    }
    if (pj >= 0) keep.push(pj);
  } else for (let t = 0; t < s; t++) defl.push(idx[t]!);
  const k = keep.length;
  // secular equation on the kept (ascending, distinct) poles
  const dk = new Float64Array(k), zk = new Float64Array(k), z2 = new Float64Array(k);
  for (let t = 0; t < k; t++) { dk[t] = dv[keep[t]!]!; zk[t] = z[keep[t]!]!; z2[t] = zk[t]! * zk[t]!; }
  const lam = new Float64Array(k), delta = new Float64Array(k * k), u = new Float64Array(k * k);
  for (let j = 0; j < k; j++) lam[j] = secularRoot(k, dk, z2, rho, j, delta, j * k, where);
  if (k > 0) secularVectors(k, dk, zk, delta, u);
  // rows of U for the top block (types 1, 2) and the bottom block (types 2, 3)
  const topList: number[] = [], botList: number[] = [];
  for (let t = 0; t < k; t++) {
    const ty = type[keep[t]!]!;
    if (ty !== 3) topList.push(t);
    if (ty !== 1) botList.push(t);
  }
  const u1 = new Float64Array(topList.length * k), u2 = new Float64Array(botList.length * k);
  topList.forEach((t, r) => u1.set(u.subarray(t * k, (t + 1) * k), r * k));
  botList.forEach((t, r) => u2.set(u.subarray(t * k, (t + 1) * k), r * k));
  const top = Int32Array.from(topList, (t) => lo + keep[t]!), bottom = Int32Array.from(botList, (t) => lo + keep[t]!);
  // merged eigenvalues: the k roots (ascending) and the deflated d (sorted here), merged ascending
  defl.sort((x, y) => dv[x]! - dv[y]! || x - y);
  const order = new Int32Array(s);
  for (let a = 0, b = 0, t = 0; t < s; t++) {
    const takeA = b >= defl.length || (a < k && lam[a]! <= dv[defl[b]!]!);
    if (takeA) { order[t] = a; d[lo + t] = lam[a++]!; } else { order[t] = k + b; d[lo + t] = dv[defl[b++]!]!; }
  }
  q.merge(lo, n1, s - n1, top, u1, bottom, u2, k, Int32Array.from(defl, (j) => lo + j), order);
}

/** {@link DcMatrix} on a JS n×n row-major array, products through `blas.gemm` (a backend's blas family). */
export class DcMatrixJs implements DcMatrix {
  constructor(readonly n: number, readonly q: Float64Array, private readonly blas: BlasKernels) {}

  setBlock(lo: number, s: number, S: Float64Array): void {
    for (let i = 0; i < s; i++) this.q.set(S.subarray(i * s, (i + 1) * s), (lo + i) * this.n + lo);
  }

  getRow(r: number, c0: number, len: number, out: Float64Array, off: number): void {
    out.set(this.q.subarray(r * this.n + c0, r * this.n + c0 + len), off);
  }

  rotateColumns(lo: number, hi: number, a: number, b: number, c: number, s: number): void {
    const q = this.q, n = this.n;
    for (let r = lo; r < hi; r++) {
      const x = q[r * n + a]!, y = q[r * n + b]!;
      q[r * n + a] = c * x + s * y;
      q[r * n + b] = c * y - s * x;
    }
  }

  merge(lo: number, n1: number, n2: number, top: Int32Array, u1: Float64Array, bottom: Int32Array, u2: Float64Array,
    k: number, deflated: Int32Array, order: Int32Array): void {
    const q = this.q, n = this.n, s = n1 + n2;
    const w = new Float64Array(s * s);
    const product = (r0: number, rows: number, cols: Int32Array, uu: Float64Array): void => {
      const kc = cols.length;
      if (kc === 0 || k === 0) return;
      const p = new Float64Array(rows * kc), out = new Float64Array(rows * k);
      for (let i = 0; i < rows; i++) for (let c = 0; c < kc; c++) p[i * kc + c] = q[(lo + r0 + i) * n + cols[c]!]!;
      this.blas.gemm(false, false, rows, k, kc, 1, p, uu, 0, out);
      for (let i = 0; i < rows; i++) w.set(out.subarray(i * k, (i + 1) * k), (r0 + i) * s);
    };
    product(0, n1, top, u1);
    product(n1, n2, bottom, u2);
    for (let i = 0; i < s; i++) for (let c = 0; c < deflated.length; c++) w[i * s + k + c] = q[(lo + i) * n + deflated[c]!]!;
    for (let i = 0; i < s; i++) {
      const o = (lo + i) * n + lo, wo = i * s;
      for (let c = 0; c < s; c++) q[o + c] = w[wo + order[c]!]!;
    }
  }
}

/**
 * Eigenvectors S (columns of an n×n row-major array, ascending eigenvalues) of the symmetric tridiagonal with
 * diagonal d (n) and subdiagonal e (n − 1), which are kept: divide and conquer on a JS array, merges on `blas`.
 */
export function tridiagVectors(n: number, d: Float64Array, e: Float64Array, blas: BlasKernels): Float64Array {
  const s = new Float64Array(n * n);
  tridiagDC(n, d.slice(), e.slice(), new DcMatrixJs(n, s, blas), 'eigh');
  return s;
}
