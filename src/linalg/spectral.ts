// Spectral summaries of dense matrices: spectral radius max|λ| (eig) and 2-norm condition number σmax/σmin (svd).
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import type { AnyMat } from '../core/types.js';
import { defaultBackend } from '../backend/index.js';
import { checkMatrix, checkSquare } from './checks.js';
import { eigRangeSafe, eigUnchecked, sortEig, type EigResult } from './eig.js';
import { eighUnchecked } from './eigh.js';
import { svdUnchecked } from './svd.js';

/**
 * Spectral radius ρ(A) = max_j |λ_j(A)| of a real or complex square matrix (eigenvalues only, see eig).
 * Returns 0 for the 0×0 matrix. Throws ShapeError for non-square A, InputError for NaN/Inf entries.
 */
export function spectralRadius(a: AnyMat): number {
  checkSquare('spectralRadius', 'A', a);
  const { re, im } = eigRangeSafe(a, false, defaultBackend()).values;
  let r = 0;
  for (let j = 0; j < re.length; j++) {
    const x = Math.abs(re[j]!), y = Math.abs(im[j]!);
    const mx = Math.max(x, y);
    if (mx === 0) continue;
    const mn = Math.min(x, y) / mx;
    r = Math.max(r, mx * Math.sqrt(1 + mn * mn));
  }
  if (!Number.isFinite(r)) throw new NumericalError(`spectralRadius: an eigenvalue of A overflowed (${r}): the input's magnitudes are too close to the limits of double precision; rescale it`);
  return r;
}

/**
 * 2-norm condition number κ₂(A) = σ_max/σ_min over the k = min(m, n) singular values of a real or complex
 * m×n matrix; Infinity when σ_min = 0 (A rank deficient, including the zero matrix). Throws ShapeError for
 * empty shapes (no singular values), InputError for NaN/Inf entries.
 */
export function condition2(a: AnyMat): number {
  checkMatrix('condition2', 'A', a);
  if (a.rows === 0 || a.cols === 0) throw new ShapeError('A', `condition2: A is ${a.rows}×${a.cols}: needs at least one row and one column`);
  const s = svdUnchecked(a, false, defaultBackend()).s;
  const smin = s[s.length - 1]!;
  return smin === 0 ? Infinity : s[0]! / smin;
}

/**
 * Eigenvalues of a square matrix sorted by `key` descending ('modulus' |λ| or 'real' part), without vectors;
 * shorthand for sortEig(eig(A)).values.
 */
export function eigvalsSorted(a: AnyMat, key: 'modulus' | 'real' = 'modulus'): EigResult['values'] {
  checkSquare('eigvalsSorted', 'A', a);
  if (key !== 'modulus' && key !== 'real') throw new InputError('key', `eigvalsSorted: key = ${describeValue(key)}: must be "modulus" or "real"`);
  return sortEig(eigUnchecked(a, false, defaultBackend()), key).values;
}

/**
 * Extreme eigenvalues of a real symmetric / complex Hermitian matrix (lower triangle read, see eigh):
 * [λ_min, λ_max]; [NaN, NaN] is never returned: 0×0 input throws ShapeError.
 */
export function eighRange(a: AnyMat): [number, number] {
  checkSquare('eighRange', 'A', a);
  if (a.rows === 0) throw new ShapeError('A', 'eighRange: A is 0×0: needs at least one eigenvalue');
  const v = eighUnchecked(a, false, defaultBackend()).values;
  return [v[0]!, v[v.length - 1]!];
}
