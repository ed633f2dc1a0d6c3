// Cholesky factorisation A = L·Lᴴ of symmetric/Hermitian positive-definite matrices, and SPD solves.
//
// Reference: Golub & Van Loan, Matrix Computations (4th ed.), Alg. 4.2.1 (outer-product / gaxpy Cholesky).
import { NumericalError, ShapeError } from '../core/errors.js';
import { cmat, isCMat, mat, toComplex, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { checkMatrix } from './checks.js';
import { resolveBackend, type Backend } from '../backend/index.js';

function checkSquare(where: string, a: AnyMat): void {
  if (a.rows !== a.cols) throw new ShapeError('A', `${where}: A is ${a.rows}×${a.cols}, expected a square matrix`);
}

/**
 * Lower-triangular L with A = L·Lᵀ (real) or A = L·Lᴴ (complex). Only the lower triangle of A is read.
 * Throws NumericalError when A is not positive definite (a pivot ≤ 0 or NaN), naming the pivot index.
 */
export function cholesky(a: Mat, opts?: CholeskyOptions): Mat;
export function cholesky(a: CMat, opts?: CholeskyOptions): CMat;
export function cholesky(a: AnyMat, opts?: CholeskyOptions): AnyMat;
export function cholesky(a: AnyMat, opts?: CholeskyOptions): AnyMat {
  checkMatrix('cholesky', 'A', a);
  checkSquare('cholesky', a);
  return factor(a, resolveBackend('cholesky', opts?.backend));
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Backend whose GEMM runs the blocked trailing updates (default: defaultBackend()). */
  readonly backend?: Backend;
}

/** Block size of the blocked factorisation, and the order from which it is used. */
const NB = 64, BLOCKED_FROM = 2 * NB;

/** {@link cholesky} without input validation. */
function factor(a: AnyMat, backend: Backend): AnyMat {
  const n = a.rows;
  // Blocked only where the trailing updates run as fast products (the WebAssembly gemm); the JS backend keeps
  // the unblocked reference loop, whose dot products are as fast in plain JS and give today's answers.
  if (n >= BLOCKED_FROM && backend.name === 'wasm') return blockedFactor(a, backend);
  if (!isCMat(a)) {
    const L = mat(n, n);
    const l = L.data, A = a.data;
    for (let j = 0; j < n; j++) {
      let d = A[j * n + j]!;
      const lj = j * n;
      for (let k = 0; k < j; k++) d -= l[lj + k]! * l[lj + k]!;
      if (!(d > 0)) throw new NumericalError(`cholesky: matrix is not positive definite (pivot ${j} = ${d})`);
      const djj = Math.sqrt(d);
      l[lj + j] = djj;
      for (let i = j + 1; i < n; i++) {
        const li = i * n;
        let s = A[li + j]!;
        for (let k = 0; k < j; k++) s -= l[li + k]! * l[lj + k]!;
        l[li + j] = s / djj;
      }
    }
    return L;
  }
  const L = cmat(n, n);
  const lr = L.re, li = L.im, Ar = a.re, Ai = a.im;
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = Ar[rj + j]!;
    for (let k = 0; k < j; k++) d -= lr[rj + k]! ** 2 + li[rj + k]! ** 2;
    if (!(d > 0)) throw new NumericalError(`cholesky: matrix is not positive definite (pivot ${j} = ${d})`);
    const djj = Math.sqrt(d);
    lr[rj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      // L_ij = (A_ij − Σ_k L_ik conj(L_jk)) / L_jj
      let sr = Ar[ri + j]!, si = Ai[ri + j]!;
      for (let k = 0; k < j; k++) {
        const ar = lr[ri + k]!, ai = li[ri + k]!, br = lr[rj + k]!, bi = -li[rj + k]!;
        sr -= ar * br - ai * bi;
        si -= ar * bi + ai * br;
      }
      lr[ri + j] = sr / djj;
      li[ri + j] = si / djj;
    }
  }
  return L;
}

/**
 * Right-looking blocked Cholesky (Golub & Van Loan Alg. 4.2.2 with block size NB): for each block column k,
 * factor the diagonal block A_kk = L_kk L_kkᴴ and solve the panel L_ik = A_ik L_kk⁻ᴴ, both row by row
 * (forward substitution, no explicit inverse), and update the trailing matrix A_22 −= L_21 L_21ᴴ with one gemm
 * (zgemm for complex). Same arithmetic per entry as the unblocked loop up to the order of the sums.
 */
function blockedFactor(a: AnyMat, backend: Backend): AnyMat {
  const n = a.rows, complex = isCMat(a);
  // W: the lower triangle of A, overwritten by L (the strict upper triangle stays 0).
  const wr = new Float64Array(n * n), wi = complex ? new Float64Array(n * n) : null;
  const ar = complex ? a.re : a.data, ai = complex ? a.im : null;
  for (let i = 0; i < n; i++) {
    wr.set(ar.subarray(i * n, i * n + i + 1), i * n);
    if (wi !== null) wi.set(ai!.subarray(i * n, i * n + i + 1), i * n);
  }
  const K = backend.blas;
  const pr = new Float64Array(n * NB), pi = complex ? new Float64Array(n * NB) : null;
  const cr = new Float64Array(n * n), ci = complex ? new Float64Array(n * n) : null;
  for (let k0 = 0; k0 < n; k0 += NB) {
    const kb = Math.min(NB, n - k0), k1 = k0 + kb;
    // diagonal block and panel, row by row (each row's segment and L_kk stay in L1):
    // L_ij = (A_ij − Σ_{k0 ≤ p < j} L_ip conj(L_jp)) / L_jj for j < i, L_ii = √(A_ii − Σ_{k0 ≤ p < i} |L_ip|²);
    // the columns before k0 are already folded into A by the trailing updates.
    for (let i = k0; i < n; i++) {
      const ri = i * n, jEnd = Math.min(i, k1);
      for (let j = k0; j < jEnd; j++) {
        const rj = j * n;
        let sr = wr[ri + j]!, si = wi === null ? 0 : wi[ri + j]!;
        if (wi === null) {
          for (let p = k0; p < j; p++) sr -= wr[ri + p]! * wr[rj + p]!;
        } else {
          for (let p = k0; p < j; p++) {
            const xr = wr[ri + p]!, xi = wi[ri + p]!, yr = wr[rj + p]!, yi = wi[rj + p]!;
            sr -= xr * yr + xi * yi;
            si -= xi * yr - xr * yi;
          }
        }
        const d = wr[rj + j]!;
        wr[ri + j] = sr / d;
        if (wi !== null) wi[ri + j] = si / d;
      }
      if (i < k1) {
        let d = wr[ri + i]!;
        for (let p = k0; p < i; p++) d -= wr[ri + p]! ** 2 + (wi === null ? 0 : wi[ri + p]! ** 2);
        if (!(d > 0)) throw new NumericalError(`cholesky: matrix is not positive definite (pivot ${i} = ${d})`);
        wr[ri + i] = Math.sqrt(d);
        if (wi !== null) wi[ri + i] = 0;
      }
    }
    const m = n - k1;
    if (m === 0) break;
    // trailing update A_22 −= L_21 L_21ᴴ on contiguous copies (P: m×kb panel, C: m×m block)
    for (let i = 0; i < m; i++) {
      const src = (k1 + i) * n;
      pr.set(wr.subarray(src + k0, src + k1), i * kb);
      if (pi !== null) pi.set(wi!.subarray(src + k0, src + k1), i * kb);
      cr.set(wr.subarray(src + k1, src + n), i * m);
      if (ci !== null) ci.set(wi!.subarray(src + k1, src + n), i * m);
    }
    if (pi === null) K.gemm(false, true, m, m, kb, -1, pr, pr, 1, cr);
    else K.zgemm('N', 'C', m, m, kb, -1, pr, pi, pr, pi, 1, cr, ci!);
    for (let i = 0; i < m; i++) {
      const dst = (k1 + i) * n + k1;
      // lower part only: row i of the block up to its diagonal
      wr.set(cr.subarray(i * m, i * m + i + 1), dst);
      if (ci !== null) wi!.set(ci.subarray(i * m, i * m + i + 1), dst);
    }
  }
  return wi === null ? mat(n, n, wr) : cmat(n, n, wr, wi);
}

/**
 * Solves A·X = B for symmetric/Hermitian positive-definite A (n×n) and B (n×m) given L = cholesky(A).
 * Returns X (n×m); complex when L or B is complex.
 */
export function choleskySolveWith(L: AnyMat, b: AnyMat): AnyMat {
  checkMatrix('choleskySolve', 'L', L);
  checkMatrix('choleskySolve', 'B', b);
  if (L.rows !== L.cols) throw new ShapeError('L', `choleskySolve: L is ${L.rows}×${L.cols}, expected a square matrix`);
  const n = L.rows;
  if (b.rows !== n) throw new ShapeError('B', `choleskySolve: B has ${b.rows} rows, expected ${n} (= A.rows)`);
  return solveWith(L, b);
}

/** {@link choleskySolveWith} without input validation. */
function solveWith(L: AnyMat, b: AnyMat): AnyMat {
  const n = L.rows, m = b.cols;
  if (!isCMat(L) && !isCMat(b)) {
    const x = Float64Array.from(b.data);
    const l = L.data;
    // forward: L y = b
    for (let i = 0; i < n; i++) {
      const li = i * n;
      for (let k = 0; k < i; k++) {
        const f = l[li + k]!;
        if (f === 0) continue;
        for (let c = 0; c < m; c++) x[i * m + c]! -= f * x[k * m + c]!;
      }
      const d = l[li + i]!;
      for (let c = 0; c < m; c++) x[i * m + c]! /= d;
    }
    // backward: Lᵀ x = y
    for (let i = n - 1; i >= 0; i--) {
      for (let k = i + 1; k < n; k++) {
        const f = l[k * n + i]!;
        if (f === 0) continue;
        for (let c = 0; c < m; c++) x[i * m + c]! -= f * x[k * m + c]!;
      }
      const d = l[i * n + i]!;
      for (let c = 0; c < m; c++) x[i * m + c]! /= d;
    }
    return mat(n, m, x);
  }
  const cL = toComplex(L), cb = toComplex(b);
  const xr = Float64Array.from(cb.re), xi = Float64Array.from(cb.im);
  const lr = cL.re, li = cL.im;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < i; k++) {
      const fr = lr[i * n + k]!, fi = li[i * n + k]!;
      for (let c = 0; c < m; c++) {
        const ar = xr[k * m + c]!, ai = xi[k * m + c]!;
        xr[i * m + c]! -= fr * ar - fi * ai;
        xi[i * m + c]! -= fr * ai + fi * ar;
      }
    }
    const d = lr[i * n + i]!;
    for (let c = 0; c < m; c++) {
      xr[i * m + c]! /= d;
      xi[i * m + c]! /= d;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      // (Lᴴ)_ik = conj(L_ki)
      const fr = lr[k * n + i]!, fi = -li[k * n + i]!;
      for (let c = 0; c < m; c++) {
        const ar = xr[k * m + c]!, ai = xi[k * m + c]!;
        xr[i * m + c]! -= fr * ar - fi * ai;
        xi[i * m + c]! -= fr * ai + fi * ar;
      }
    }
    const d = lr[i * n + i]!;
    for (let c = 0; c < m; c++) {
      xr[i * m + c]! /= d;
      xi[i * m + c]! /= d;
    }
  }
  return cmat(n, m, xr, xi);
}

/** Solves A·X = B for symmetric/Hermitian positive-definite A (Cholesky); throws NumericalError if A is not PD. */
export function choleskySolve(a: Mat, b: Mat, opts?: CholeskyOptions): Mat;
export function choleskySolve(a: AnyMat, b: AnyMat, opts?: CholeskyOptions): AnyMat;
export function choleskySolve(a: AnyMat, b: AnyMat, opts?: CholeskyOptions): AnyMat {
  checkMatrix('choleskySolve', 'A', a);
  checkMatrix('choleskySolve', 'B', b);
  checkSquare('choleskySolve', a);
  const L = factor(a, resolveBackend('choleskySolve', opts?.backend));
  if (b.rows !== a.rows) throw new ShapeError('B', `choleskySolve: B has ${b.rows} rows, expected ${a.rows} (= A.rows)`);
  return solveWith(L, b);
}
