// Tests of extremeEigenvalues (Lanczos) and powerIteration against known spectra, dense eigh, and bad inputs.
import { describe, expect, it } from 'vitest';
import { InputError, NumericalError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { mat, type Mat } from '../core/types.js';
import { randMat, testRng } from '../../test/helpers.js';
import { eigh } from './eigh.js';
import { extremeEigenvalues, powerIteration, type MatVec } from './lanczos.js';

function denseOp(A: Mat): MatVec {
  const n = A.rows;
  return (x, out) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += A.data[i * n + j]! * x[j]!;
      out[i] = s;
    }
  };
}

function diagOp(d: Float64Array): MatVec {
  return (x, out) => { for (let i = 0; i < d.length; i++) out[i] = d[i]! * x[i]!; };
}

describe('extremeEigenvalues', () => {
  it('diagonal operator with a known spectrum: k largest, k smallest, both (tol 1e-10 relative)', () => {
    const n = 400;
    const d = Float64Array.from({ length: n }, (_, i) => Math.sign(i - 100) * (1 + i) ** 1.5 / 1000);
    const sorted = [...d].sort((a, b) => a - b);
    const op = diagOp(d);
    const hi = extremeEigenvalues(op, n, { k: 3, which: 'largest' });
    const lo = extremeEigenvalues(op, n, { k: 2, which: 'smallest' });
    const both = extremeEigenvalues(op, n, { k: 2, which: 'both', vectors: true });
    const scale = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[n - 1]!));
    // converged Ritz values are within |residual|·(residual/gap) of eigenvalues; 1e-9·scale is generous
    for (let i = 0; i < 3; i++) expect(Math.abs(hi.values[i]! - sorted[n - 3 + i]!)).toBeLessThanOrEqual(1e-9 * scale);
    for (let i = 0; i < 2; i++) expect(Math.abs(lo.values[i]! - sorted[i]!)).toBeLessThanOrEqual(1e-9 * scale);
    const want = [sorted[0]!, sorted[1]!, sorted[n - 2]!, sorted[n - 1]!];
    for (let i = 0; i < 4; i++) expect(Math.abs(both.values[i]! - want[i]!)).toBeLessThanOrEqual(1e-9 * scale);
    for (const r of hi.residuals) expect(r).toBeLessThanOrEqual(1e-10 * scale);
    expect(hi.iterations).toBeLessThan(n);
    // Ritz vectors: unit norm and ‖A·y − θ·y‖ equal to the reported residual (up to rounding)
    const V = both.vectors!;
    const y = new Float64Array(n), Ay = new Float64Array(n);
    for (let c = 0; c < 4; c++) {
      for (let i = 0; i < n; i++) y[i] = V.data[i * 4 + c]!;
      op(y, Ay);
      let nrm = 0, res = 0;
      for (let i = 0; i < n; i++) { nrm += y[i]! ** 2; res += (Ay[i]! - both.values[c]! * y[i]!) ** 2; }
      expect(Math.abs(Math.sqrt(nrm) - 1)).toBeLessThanOrEqual(1e-12);
      expect(Math.sqrt(res)).toBeLessThanOrEqual(both.residuals[c]! + 1e-12 * scale);
    }
  });

  it('matches dense eigh on a random symmetric 150×150 (extreme 3 at each end)', () => {
    const n = 150;
    const B = randMat(testRng(601), n, n);
    const A = mat(n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) A.data[i * n + j] = B.data[i * n + j]! + B.data[j * n + i]!;
    const w = eigh(A, { vectors: false }).values;
    const r = extremeEigenvalues(denseOp(A), n, { k: 3, which: 'both', rng: createRng(5) });
    const want = [w[0]!, w[1]!, w[2]!, w[n - 3]!, w[n - 2]!, w[n - 1]!];
    const scale = Math.max(-w[0]!, w[n - 1]!);
    for (let i = 0; i < 6; i++) expect(Math.abs(r.values[i]! - want[i]!)).toBeLessThanOrEqual(1e-8 * scale);
  });

  it('multiple eigenvalue and tiny n: identity + rank-one finds the multiplicity via restarts', () => {
    const n = 5;
    const u = Float64Array.of(1, 2, 0, -1, 1);
    const op: MatVec = (x, out) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += u[i]! * x[i]!;
      for (let i = 0; i < n; i++) out[i] = x[i]! + u[i]! * s;
    };
    // eigenvalues: 1 (×4) and 1 + ‖u‖² = 8
    const r = extremeEigenvalues(op, n, { k: 3, which: 'largest' });
    expect(Array.from(r.values).map((v) => Math.round(v * 1e10) / 1e10)).toEqual([1, 1, 8]);
    const one = extremeEigenvalues((x, out) => { out[0] = -2 * x[0]!; }, 1);
    expect(Array.from(one.values)).toEqual([-2]);
  });

  it('same rng seed -> identical results; maxIter too small -> NumericalError', () => {
    const d = Float64Array.from({ length: 300 }, (_, i) => i / 300);
    const a = extremeEigenvalues(diagOp(d), 300, { rng: createRng(9) });
    const b = extremeEigenvalues(diagOp(d), 300, { rng: createRng(9) });
    expect(Array.from(a.values)).toEqual(Array.from(b.values));
    expect(() => extremeEigenvalues(diagOp(d), 300, { maxIter: 5, tol: 1e-14 })).toThrow(NumericalError);
  });

  it('bad arguments and non-finite matvec output -> InputError', () => {
    const op = diagOp(Float64Array.of(1, 2, 3));
    expect(() => extremeEigenvalues(op, 0)).toThrow(/n = 0: must be an integer ≥ 1/);
    expect(() => extremeEigenvalues(op, 3, { k: 4 })).toThrow(/k = 4: must be ≤ n = 3/);
    expect(() => extremeEigenvalues(op, 3, { which: 'middle' as 'both' })).toThrow(InputError);
    expect(() => extremeEigenvalues(op, 3, { tol: -1 })).toThrow(InputError);
    expect(() => extremeEigenvalues(42 as unknown as MatVec, 3)).toThrow(/matvec = 42/);
    expect(() => extremeEigenvalues(op, 3, { rng: {} as unknown as ReturnType<typeof createRng> })).toThrow(/rng = \{\}: must be an Rng/);
    expect(() => extremeEigenvalues((_x, out) => { out[0] = NaN; }, 3)).toThrow(/matvec returned out\[0\] = NaN/);
  });
});

describe('powerIteration', () => {
  it('dominant magnitude of diag(5, −5, 1, 0.5): 5, also with the ± pair; Rayleigh value sign for a unique one', () => {
    const r = powerIteration(diagOp(Float64Array.of(5, -5, 1, 0.5)), 4);
    expect(Math.abs(r.magnitude - 5)).toBeLessThanOrEqual(1e-9);
    const s = powerIteration(diagOp(Float64Array.of(-3, 1, 2)), 3, { tol: 1e-13 });
    expect(Math.abs(s.magnitude - 3)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(s.value + 3)).toBeLessThanOrEqual(1e-8);
    expect(powerIteration((_x, out) => out.fill(0), 3).magnitude).toBe(0);
  });

  it('no convergence within maxIter -> NumericalError; bad tol -> InputError', () => {
    expect(() => powerIteration(diagOp(Float64Array.of(1, 0.9999999)), 2, { maxIter: 3, tol: 1e-15 })).toThrow(NumericalError);
    expect(() => powerIteration(diagOp(Float64Array.of(1)), 1, { tol: 0 })).toThrow(InputError);
  });
});
