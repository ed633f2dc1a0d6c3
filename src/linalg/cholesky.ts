// Cholesky factorisation A = L·Lᴴ of symmetric/Hermitian positive-definite matrices, and SPD solves.
//
// Reference: Golub & Van Loan, Matrix Computations (4th ed.), Alg. 4.2.1 (outer-product / gaxpy Cholesky).
import { NumericalError, ShapeError } from '../core/errors.js';
import { cmat, isCMat, mat, toComplex, type AnyMat, type CMat, type Mat } from '../core/types.js';
import { checkMatrix } from './checks.js';

function checkSquare(where: string, a: AnyMat): void {
  if (a.rows !== a.cols) throw new ShapeError('A', `${where}: A is ${a.rows}×${a.cols}, expected a square matrix`);
}

/**
 * Lower-triangular L with A = L·Lᵀ (real) or A = L·Lᴴ (complex). Only the lower triangle of A is read.
 * Throws NumericalError when A is not positive definite (a pivot ≤ 0 or NaN), naming the pivot index.
 */
export function cholesky(a: Mat): Mat;
export function cholesky(a: CMat): CMat;
export function cholesky(a: AnyMat): AnyMat;
export function cholesky(a: AnyMat): AnyMat {
  checkMatrix('cholesky', 'A', a);
  checkSquare('cholesky', a);
  return factor(a);
}

/** {@link cholesky} without input validation. */
function factor(a: AnyMat): AnyMat {
  const n = a.rows;
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
export function choleskySolve(a: Mat, b: Mat): Mat;
export function choleskySolve(a: AnyMat, b: AnyMat): AnyMat;
export function choleskySolve(a: AnyMat, b: AnyMat): AnyMat {
  checkMatrix('choleskySolve', 'A', a);
  checkMatrix('choleskySolve', 'B', b);
  checkSquare('choleskySolve', a);
  const L = factor(a);
  if (b.rows !== a.rows) throw new ShapeError('B', `choleskySolve: B has ${b.rows} rows, expected ${a.rows} (= A.rows)`);
  return solveWith(L, b);
}
