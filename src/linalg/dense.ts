// Validated dense matrix operations on real and complex matrices (allocating convenience layer over the kernels).
//
// Arguments are checked for structure (Mat/CMat shapes and storage) at entry; entries are not inspected, so NaN
// and ±Infinity propagate by IEEE arithmetic as in the kernels (decompositions and solvers reject them instead).
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import { cmat, isCMat, mat, toComplex, type AnyMat, type CMat, type CVec, type Mat, type Vec } from '../core/types.js';
import { defaultBackend } from '../backend/index.js';
import type { Trans } from '../backend/blas/types.js';
import { checkMatShape, checkF64, checkObject } from '../core/guards.js';

function dims(m: AnyMat): string {
  return `${m.rows}×${m.cols}`;
}

/** C = A·B for real matrices; shapes (m×k)·(k×n) → m×n. */
export function matmul(a: Mat, b: Mat): Mat;
/** C = A·B when either factor is complex (the real one is promoted). */
export function matmul(a: AnyMat, b: AnyMat): CMat;
export function matmul(a: AnyMat, b: AnyMat): AnyMat {
  return gemmOp(a, 'N', b, 'N');
}

/**
 * C = op(A)·op(B) with op ∈ {'N', 'T', 'C'} (none, transpose, conjugate transpose).
 * Real inputs give a real result ('C' equals 'T' for them).
 */
export function gemmOp(a: AnyMat, ta: Trans, b: AnyMat, tb: Trans): AnyMat {
  checkMatShape('matmul', 'A', a);
  checkMatShape('matmul', 'B', b);
  for (const [f, t] of [['ta', ta], ['tb', tb]] as const) if (t !== 'N' && t !== 'T' && t !== 'C') throw new InputError(f, `matmul: ${f} = ${describeValue(t)}: must be "N", "T" or "C"`);
  const m = ta === 'N' ? a.rows : a.cols;
  const ka = ta === 'N' ? a.cols : a.rows;
  const kb = tb === 'N' ? b.rows : b.cols;
  const n = tb === 'N' ? b.cols : b.rows;
  if (ka !== kb) throw new ShapeError('B', `matmul: inner dimensions differ: op(A) is ${m}×${ka}, op(B) is ${kb}×${n}`);
  if (!isCMat(a) && !isCMat(b)) {
    const c = mat(m, n);
    defaultBackend().blas.gemm(ta !== 'N', tb !== 'N', m, n, ka, 1, a.data, b.data, 0, c.data);
    return c;
  }
  const ca = toComplex(a), cb = toComplex(b);
  const c = cmat(m, n);
  defaultBackend().blas.zgemm(ta, tb, m, n, ka, 1, ca.re, ca.im, cb.re, cb.im, 0, c.re, c.im);
  return c;
}

/** y = A·x for a real matrix A (m×n) and vector x (n). */
export function matvec(a: Mat, x: Vec): Vec {
  checkMatShape('matvec', 'A', a, 'real');
  checkF64('matvec', 'x', x);
  if (x.length !== a.cols) throw new ShapeError('x', `matvec: x has length ${x.length}, expected ${a.cols} (= A.cols of ${dims(a)})`);
  const y = new Float64Array(a.rows);
  defaultBackend().blas.gemm(false, false, a.rows, 1, a.cols, 1, a.data, x, 0, y);
  return y;
}

/** y = A·x for a complex matrix and vector. */
export function cmatvec(a: CMat, x: CVec): CVec {
  checkMatShape('cmatvec', 'A', a, 'complex');
  checkObject('cmatvec', 'x', x, 'a CVec {re, im}');
  checkF64('cmatvec', 'x.re', x.re);
  checkF64('cmatvec', 'x.im', x.im, x.re.length);
  if (x.re.length !== a.cols) throw new ShapeError('x', `cmatvec: x has length ${x.re.length}, expected ${a.cols} (= A.cols of ${dims(a)})`);
  const y = { re: new Float64Array(a.rows), im: new Float64Array(a.rows) };
  defaultBackend().blas.zgemm('N', 'N', a.rows, 1, a.cols, 1, a.re, a.im, x.re, x.im, 0, y.re, y.im);
  return y;
}

/** Aᵀ (real) or Aᵀ (complex, no conjugation). */
export function transpose<M extends AnyMat>(a: M): M {
  checkMatShape('transpose', 'A', a);
  const { rows, cols } = a;
  if (isCMat(a)) {
    const t = cmat(cols, rows);
    for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) {
      t.re[j * rows + i] = a.re[i * cols + j]!;
      t.im[j * rows + i] = a.im[i * cols + j]!;
    }
    return t as M;
  }
  const t = mat(cols, rows);
  const d = (a as Mat).data;
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t.data[j * rows + i] = d[i * cols + j]!;
  return t as M;
}

/** Conjugate transpose Aᴴ (equals Aᵀ for real A). */
export function adjoint<M extends AnyMat>(a: M): M {
  checkMatShape('adjoint', 'A', a);
  const t = transpose(a);
  if (isCMat(t)) for (let i = 0; i < t.im.length; i++) t.im[i] = -t.im[i]!;
  return t;
}

/** Frobenius norm ‖A‖_F. */
export function frobenius(a: AnyMat): number {
  checkMatShape('frobenius', 'A', a);
  let s = 0;
  if (isCMat(a)) for (let i = 0; i < a.re.length; i++) s += a.re[i]! ** 2 + a.im[i]! ** 2;
  else for (let i = 0; i < a.data.length; i++) s += a.data[i]! ** 2;
  return Math.sqrt(s);
}

/** Euclidean norm of a real vector. */
export function norm2(x: ArrayLike<number>): number {
  if (typeof x !== 'object' || x === null || typeof x.length !== 'number') throw new InputError('x', `norm2: x = ${describeValue(x)}: must be an array of numbers`);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** A + s·B (same shape; complex if either is). */
export function axpby(a: AnyMat, b: AnyMat, sa = 1, sb = 1): AnyMat {
  checkMatShape('axpby', 'A', a);
  checkMatShape('axpby', 'B', b);
  for (const [f, s] of [['sa', sa], ['sb', sb]] as const) if (typeof s !== 'number' || !Number.isFinite(s)) throw new InputError(f, `axpby: ${f} = ${describeValue(s)}: must be a finite number`);
  if (a.rows !== b.rows || a.cols !== b.cols) throw new ShapeError('B', `axpby: shapes differ: ${dims(a)} vs ${dims(b)}`);
  if (!isCMat(a) && !isCMat(b)) {
    const c = mat(a.rows, a.cols);
    for (let i = 0; i < c.data.length; i++) c.data[i] = sa * a.data[i]! + sb * b.data[i]!;
    return c;
  }
  const ca = toComplex(a), cb = toComplex(b);
  const c = cmat(a.rows, a.cols);
  for (let i = 0; i < c.re.length; i++) {
    c.re[i] = sa * ca.re[i]! + sb * cb.re[i]!;
    c.im[i] = sa * ca.im[i]! + sb * cb.im[i]!;
  }
  return c;
}

/** Max |A_ij − B_ij| over entries (complex modulus for complex inputs). */
export function maxAbsDiffMat(a: AnyMat, b: AnyMat): number {
  checkMatShape('maxAbsDiffMat', 'A', a);
  checkMatShape('maxAbsDiffMat', 'B', b);
  if (a.rows !== b.rows || a.cols !== b.cols) throw new ShapeError('B', `maxAbsDiffMat: shapes differ: ${dims(a)} vs ${dims(b)}`);
  let m = 0;
  if (!isCMat(a) && !isCMat(b)) {
    for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
    return m;
  }
  const ca = toComplex(a), cb = toComplex(b);
  for (let i = 0; i < ca.re.length; i++) m = Math.max(m, Math.hypot(ca.re[i]! - cb.re[i]!, ca.im[i]! - cb.im[i]!));
  return m;
}

/** Real 2n×2n embedding [[Re, −Im], [Im, Re]] of a complex n×m matrix (maps C^m → C^n as R^{2m} → R^{2n}). */
export function realEmbedding(a: CMat): Mat {
  checkMatShape('realEmbedding', 'A', a, 'complex');
  const { rows: r, cols: c } = a;
  const e = mat(2 * r, 2 * c);
  const w = 2 * c;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    const re = a.re[i * c + j]!, im = a.im[i * c + j]!;
    e.data[i * w + j] = re;
    e.data[i * w + c + j] = -im;
    e.data[(r + i) * w + j] = im;
    e.data[(r + i) * w + c + j] = re;
  }
  return e;
}
