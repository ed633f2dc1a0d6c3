// Numeric core types: dense row-major real/complex matrices and vectors on Float64Array (complex in split storage).
//
// Conventions used across polelab:
//  - Mat (rows × cols) is row-major: element (i, j) is data[i * cols + j].
//  - Complex values are split: element k is re[k] + i·im[k] (never arrays of {re, im} objects).
//  - Sequences are time-major inside a sequence and batch-major across sequences:
//    a batch of B sequences of T steps of dimension D is data[(b * T + t) * D + d].
import { InputError, ShapeError, describeValue } from './errors.js';
import { checkInt, checkMatShape } from './guards.js';

/** Real vector. */
export type Vec = Float64Array;

/** Complex vector in split storage: element k is re[k] + i·im[k]; re.length === im.length. */
export interface CVec {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** Dense row-major real matrix; invariant: data.length === rows * cols. */
export interface Mat {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array;
}

/** Dense row-major complex matrix in split storage; re.length === im.length === rows * cols. */
export interface CMat {
  readonly rows: number;
  readonly cols: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** A real or complex matrix. Use {@link isCMat} to branch. */
export type AnyMat = Mat | CMat;

/** A batch of real sequences: data[(b * steps + t) * dim + d], shape (batch, steps, dim). */
export interface SeqBatch {
  readonly batch: number;
  readonly steps: number;
  readonly dim: number;
  readonly data: Float64Array;
}

/** A batch of complex sequences in split storage, shape (batch, steps, dim). */
export interface CSeqBatch {
  readonly batch: number;
  readonly steps: number;
  readonly dim: number;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

/** True when m is a complex matrix (has split re/im storage). */
export function isCMat(m: AnyMat): m is CMat {
  return (m as CMat).re !== undefined;
}

function checkDims(where: string, rows: number, cols: number): void {
  if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 0) {
    throw new ShapeError('rows', `${where}: rows × cols = ${String(rows)} × ${String(cols)}: must be integers >= 0`);
  }
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a plain array (use Float64Array.from(...))';
  if (ArrayBuffer.isView(v)) return (v as object).constructor.name;
  return typeof v;
}

/** New real matrix (rows × cols); copies nothing: `data` is used as is when given. Throws ShapeError on a length mismatch. */
export function mat(rows: number, cols: number, data?: Float64Array): Mat {
  checkDims('mat', rows, cols);
  if (data !== undefined && !(data instanceof Float64Array)) throw new InputError('data', `mat: data must be a Float64Array, got ${kindOf(data)}`);
  const d = data ?? new Float64Array(rows * cols);
  if (d.length !== rows * cols) throw new ShapeError('data', `mat: data has length ${d.length}, expected rows*cols = ${rows * cols}`);
  return { rows, cols, data: d };
}

/** New complex matrix (rows × cols); `re`/`im` are used as is when given (zeros otherwise). */
export function cmat(rows: number, cols: number, re?: Float64Array, im?: Float64Array): CMat {
  checkDims('cmat', rows, cols);
  for (const [name, v] of [['re', re], ['im', im]] as const) {
    if (v !== undefined && !(v instanceof Float64Array)) throw new InputError(name, `cmat: ${name} must be a Float64Array, got ${kindOf(v)}`);
  }
  const r = re ?? new Float64Array(rows * cols);
  const i = im ?? new Float64Array(rows * cols);
  if (r.length !== rows * cols || i.length !== rows * cols) {
    throw new ShapeError('re', `cmat: re/im have lengths ${r.length}/${i.length}, expected rows*cols = ${rows * cols}`);
  }
  return { rows, cols, re: r, im: i };
}

/** n × n identity. */
export function eye(n: number): Mat {
  const m = mat(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/** Real matrix from nested rows; throws ShapeError on ragged input. */
export function fromRows(rows: ReadonlyArray<ReadonlyArray<number>>): Mat {
  if (!Array.isArray(rows)) throw new InputError('rows', `fromRows: rows = ${describeValue(rows)}: must be an array of rows (arrays of numbers)`);
  const r = rows.length;
  const c = r === 0 ? 0 : rows[0]!.length;
  const m = mat(r, c);
  for (let i = 0; i < r; i++) {
    const row = rows[i]!;
    if (!Array.isArray(row)) throw new InputError('rows', `fromRows: rows[${i}] = ${describeValue(row)}: must be an array of numbers`);
    if (row.length !== c) throw new ShapeError('rows', `fromRows: row ${i} has length ${row.length}, expected ${c}`);
    for (let j = 0; j < c; j++) {
      const v = row[j];
      if (typeof v !== 'number') throw new InputError('rows', `fromRows: rows[${i}][${j}] = ${describeValue(v)}: must be a number`);
      m.data[i * c + j] = v;
    }
  }
  return m;
}

/** Nested rows (plain arrays) of a real matrix. */
export function toRows(m: Mat): number[][] {
  checkMatShape('toRows', 'm', m, 'real');
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Complex matrix with zero imaginary part from a real one (copies). */
export function toComplex(m: AnyMat): CMat {
  checkMatShape('toComplex', 'm', m);
  if (isCMat(m)) return m;
  return cmat(m.rows, m.cols, Float64Array.from(m.data), new Float64Array(m.data.length));
}

/** Deep copy of a real or complex matrix. */
export function cloneMat<M extends AnyMat>(m: M): M {
  checkMatShape('cloneMat', 'm', m);
  if (isCMat(m)) return cmat(m.rows, m.cols, Float64Array.from(m.re), Float64Array.from(m.im)) as M;
  return mat(m.rows, m.cols, Float64Array.from((m as Mat).data)) as M;
}

/** Complex vector of length n (zeros). */
export function cvec(n: number): CVec {
  checkInt('cvec', 'n', n, 0);
  return { re: new Float64Array(n), im: new Float64Array(n) };
}

/** Rows r0..r1−1 of a real or complex matrix as a new matrix (copies). */
export function sliceRows<M extends AnyMat>(m: M, r0: number, r1: number): M {
  checkMatShape('sliceRows', 'm', m);
  if (!Number.isInteger(r0) || !Number.isInteger(r1) || r0 < 0 || r1 > m.rows || r0 > r1) {
    throw new ShapeError('rows', `sliceRows: rows [${r0}, ${r1}) are not inside [0, ${m.rows}]`);
  }
  const c = m.cols;
  if (isCMat(m)) return cmat(r1 - r0, c, m.re.slice(r0 * c, r1 * c), m.im.slice(r0 * c, r1 * c)) as M;
  return mat(r1 - r0, c, (m as Mat).data.slice(r0 * c, r1 * c)) as M;
}
