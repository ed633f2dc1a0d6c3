// Boundary validation shared by the dense decompositions (qr, eigh, eig, svd, pinv, spectral): shapes and finiteness.
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import { isCMat, type AnyMat } from '../core/types.js';
import { checkMatShape, checkOptional } from '../core/guards.js';

/**
 * Checks that `a` is a well-formed real or complex matrix with finite entries: the structure by
 * core/guards.ts checkMatShape, then every entry.
 * Throws InputError (not a matrix, NaN/±Infinity entry) or ShapeError (storage length ≠ rows·cols).
 * `where` is the calling function, `name` the argument name used in messages.
 */
export function checkMatrix(where: string, name: string, a: unknown): asserts a is AnyMat {
  checkMatShape(where, name, a);
  const cols = a.cols;
  const arrays: Array<[string, Float64Array]> = isCMat(a) ? [['re', a.re], ['im', a.im]] : [['data', a.data]];
  for (const [field, arr] of arrays) {
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (v - v !== 0) {
        throw new InputError(name, `${where}: ${name}.${field}[${i}] (row ${Math.floor(i / cols)}, col ${i % cols}) = ${describeValue(v)}: entries must be finite`);
      }
    }
  }
}

/** Checks a square matrix (see {@link checkMatrix}); throws ShapeError naming the shape otherwise. */
export function checkSquare(where: string, name: string, a: unknown): asserts a is AnyMat {
  checkMatrix(where, name, a);
  if (a.rows !== a.cols) throw new ShapeError(name, `${where}: ${name} is ${a.rows}×${a.cols}: must be square`);
}

/** Checks an optional options object: undefined or a plain object. */
export function checkOpts(where: string, opts: unknown): void {
  checkOptional(where, 'opts', opts);
}

/** Checks an optional boolean option; returns it or the default. */
export function boolOpt(where: string, field: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be true or false`);
  return v;
}

/** Checks an optional rcond option: undefined or a finite number in [0, 1). */
export function rcondOpt(where: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v >= 0 && v < 1)) throw new InputError('rcond', `${where}: rcond = ${describeValue(v)}: must be a number in [0, 1)`);
  return v;
}

/**
 * Throws NumericalError when a result array holds NaN/±Infinity: finite input whose result overflows the double
 * range (entries near 1e308, or a reciprocal of a subnormal) must not come back as silent NaN. O(length), once per call.
 */
export function checkFiniteResult(where: string, name: string, ...arrays: ReadonlyArray<Float64Array | undefined>): void {
  for (const arr of arrays) {
    if (arr === undefined) continue;
    for (let i = 0; i < arr.length; i++) {
      const v = arr[i]!;
      if (v - v !== 0) throw new NumericalError(`${where}: ${name} overflowed (an entry is ${describeValue(v)}): the input's magnitudes are too close to the limits of double precision; rescale it`);
    }
  }
}

/** Machine epsilon of float64, 2^-52. */
export const EPS = 2 ** -52;
