// Matrix-free extreme eigenvalues of symmetric operators: Lanczos with full reorthogonalisation, and power iteration.
//
// References: Golub & Van Loan (4th ed.) §10.1 (Lanczos, Ritz values, the residual bound ‖A·y − θ·y‖ =
// |β_m·s_{m,i}|) and §10.3.1 (complete reorthogonalisation); Parlett, The Symmetric Eigenvalue Problem (1998)
// §13. The operator is only touched through matvec (e.g. Hessian–vector products). Memory: the Krylov basis,
// maxIter·n doubles.
import { InputError, NumericalError, describeValue } from '../core/errors.js';
import { Rng, createRng } from '../core/rng.js';
import { mat, type Mat } from '../core/types.js';
import { tql } from './tridiag.js';

/** y = A·x for a symmetric operator A (n×n); must write `out` (length n) and not modify x. */
export type MatVec = (x: Float64Array, out: Float64Array) => void;

/** Options of {@link extremeEigenvalues}. */
export interface LanczosOptions {
  /** Number of eigenvalues wanted at each requested end (default 1). */
  readonly k?: number;
  /** Which end of the spectrum (default 'largest'). */
  readonly which?: 'largest' | 'smallest' | 'both';
  /** Convergence: residual |β_m·s_{m,i}| ≤ tol·max|θ| for every wanted Ritz value (default 1e-10). */
  readonly tol?: number;
  /** Maximum Krylov dimension (default min(n, max(300, 20·k))); reaching it unconverged throws NumericalError. */
  readonly maxIter?: number;
  /** Random stream for the start vector (default createRng(0)). */
  readonly rng?: Rng;
  /** Also return the Ritz vectors (default false). */
  readonly vectors?: boolean;
}

/** Result of {@link extremeEigenvalues}. */
export interface LanczosResult {
  /** The wanted Ritz values in ascending order ('both': the k smallest then the k largest, without duplicates). */
  readonly values: Float64Array;
  /** Residual norms ‖A·y_i − θ_i·y_i‖ (= |β_m·s_{m,i}|) for values[i]. */
  readonly residuals: Float64Array;
  /** Unit Ritz vectors as the columns of an n×values.length matrix, when vectors = true. */
  readonly vectors?: Mat;
  /** Krylov dimension used (number of matvec calls). */
  readonly iterations: number;
}

function posInt(where: string, field: string, v: unknown, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be an integer ≥ ${min}`);
  return v;
}

function posNum(where: string, field: string, v: unknown, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be a finite number > 0`);
  return v;
}

function checkCommon(where: string, matvec: unknown, n: unknown, opts: unknown): void {
  if (typeof matvec !== 'function') throw new InputError('matvec', `${where}: matvec = ${describeValue(matvec)}: must be a function (x, out) => void`);
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new InputError('n', `${where}: n = ${describeValue(n)}: must be an integer ≥ 1`);
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) throw new InputError('opts', `${where}: opts = ${describeValue(opts)}: must be an object or omitted`);
}

function rngOpt(where: string, v: unknown): Rng {
  if (v === undefined) return createRng(0);
  if (!(v instanceof Rng)) throw new InputError('rng', `${where}: rng = ${describeValue(v)}: must be an Rng from createRng(seed)`);
  return v;
}

function applyChecked(where: string, matvec: MatVec, x: Float64Array, out: Float64Array): void {
  matvec(x, out);
  for (let i = 0; i < out.length; i++) {
    const v = out[i]!;
    if (v - v !== 0) throw new InputError('matvec', `${where}: matvec returned out[${i}] = ${describeValue(v)}: entries must be finite`);
  }
}

/**
 * Extreme eigenvalues of a symmetric operator given by y = A·x, by Lanczos with full (twice-applied classical
 * Gram–Schmidt) reorthogonalisation. An invariant subspace (β ≈ 0) restarts from a fresh random vector
 * orthogonal to the basis, so multiplicities are found. Converged when every wanted Ritz pair has residual
 * ≤ tol·max|θ|, or exactly when the Krylov space reaches dimension n. Throws InputError on bad arguments or
 * non-finite matvec output, NumericalError when maxIter < n steps do not converge.
 */
export function extremeEigenvalues(matvec: MatVec, n: number, opts?: LanczosOptions): LanczosResult {
  const where = 'extremeEigenvalues';
  checkCommon(where, matvec, n, opts);
  const k = posInt(where, 'k', opts?.k, 1, 1);
  if (k > n) throw new InputError('k', `${where}: k = ${k}: must be ≤ n = ${n}`);
  const which = opts?.which ?? 'largest';
  if (which !== 'largest' && which !== 'smallest' && which !== 'both') {
    throw new InputError('which', `${where}: which = ${describeValue(which)}: must be "largest", "smallest" or "both"`);
  }
  const tol = posNum(where, 'tol', opts?.tol, 1e-10);
  const maxIter = Math.min(n, posInt(where, 'maxIter', opts?.maxIter, Math.max(300, 20 * k), 1));
  const rng = rngOpt(where, opts?.rng);
  const wantV = opts?.vectors ?? false;
  if (typeof wantV !== 'boolean') throw new InputError('vectors', `${where}: vectors = ${describeValue(wantV)}: must be true or false`);

  const Q = new Float64Array(maxIter * n);
  const alpha = new Float64Array(maxIter), beta = new Float64Array(maxIter);
  const w = new Float64Array(n), coef = new Float64Array(maxIter);
  const d = new Float64Array(maxIter), e = new Float64Array(maxIter), zl = new Float64Array(maxIter);
  const startVector = (m: number): boolean => {
    // random unit vector orthogonal to the first m basis vectors, written to row m
    for (let attempt = 0; attempt < 5; attempt++) {
      for (let i = 0; i < n; i++) w[i] = rng.normal();
      const nrm0 = Math.sqrt(dot(w, w));
      orthogonalise(Q, m, n, w, coef);
      const nrm = Math.sqrt(dot(w, w));
      if (nrm > 1e-8 * nrm0) {
        for (let i = 0; i < n; i++) Q[m * n + i] = w[i]! / nrm;
        return true;
      }
    }
    return false;
  };
  startVector(0);
  let m = 0;
  let wanted: number[] = [];
  let anorm = 0;
  const q = new Float64Array(n);
  for (;;) {
    // step m: w = A·q_m − α_m·q_m − β_{m−1}·q_{m−1}, reorthogonalised
    q.set(Q.subarray(m * n, (m + 1) * n));
    applyChecked(where, matvec, q, w);
    // full reorthogonalisation against q_0..q_m also removes α_m·q_m and β_{m−1}·q_{m−1}: α_m = q_mᵀ·A·q_m
    orthogonalise(Q, m + 1, n, w, coef);
    alpha[m] = coef[m]!;
    const b = Math.sqrt(dot(w, w));
    m++;
    anorm = Math.max(anorm, Math.abs(alpha[m - 1]!) + b + (m > 1 ? beta[m - 2]! : 0));
    // Ritz values of T_m and the last components of its eigenvectors
    d.set(alpha.subarray(0, m));
    for (let i = 0; i < m - 1; i++) e[i] = beta[i]!;
    zl.fill(0, 0, m);
    zl[m - 1] = 1;
    tql(m, d.subarray(0, m), e.subarray(0, m), [zl.subarray(0, m)], 1, where);
    wanted = wantedIndices(m, k, which);
    const scale = Math.max(Math.abs(d[0]!), Math.abs(d[m - 1]!), Number.MIN_VALUE);
    let converged = m >= Math.min(n, which === 'both' ? 2 * k : k);
    for (const i of wanted) if (Math.abs(b * zl[i]!) > tol * scale) converged = false;
    if (converged || m === n) {
      return finish(m, n, Q, alpha, beta, b, wanted, wantV, where);
    }
    if (m >= maxIter) {
      throw new NumericalError(`${where}: Lanczos did not converge to tol = ${tol} within maxIter = ${maxIter} steps (n = ${n})`);
    }
    if (b <= 1e-13 * anorm) {
      // invariant subspace: continue from a new random direction (T gets a zero coupling)
      beta[m - 1] = 0;
      if (!startVector(m)) return finish(m, n, Q, alpha, beta, 0, wanted, wantV, where);
    } else {
      beta[m - 1] = b;
      for (let i = 0; i < n; i++) Q[m * n + i] = w[i]! / b;
    }
  }
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** w ← w − Q_{0:m}ᵀ·(Q_{0:m}·w), applied twice; coef receives the summed coefficients. */
function orthogonalise(Q: Float64Array, m: number, n: number, w: Float64Array, coef: Float64Array): void {
  coef.fill(0, 0, m);
  for (let pass = 0; pass < 2; pass++) {
    for (let j = 0; j < m; j++) {
      const o = j * n;
      let s = 0;
      for (let i = 0; i < n; i++) s += Q[o + i]! * w[i]!;
      coef[j]! += s;
      if (s === 0) continue;
      for (let i = 0; i < n; i++) w[i]! -= s * Q[o + i]!;
    }
  }
}

function wantedIndices(m: number, k: number, which: 'largest' | 'smallest' | 'both'): number[] {
  const out = new Set<number>();
  const kk = Math.min(k, m);
  if (which !== 'largest') for (let i = 0; i < kk; i++) out.add(i);
  if (which !== 'smallest') for (let i = m - kk; i < m; i++) out.add(i);
  return [...out].sort((x, y) => x - y);
}

function finish(m: number, n: number, Q: Float64Array, alpha: Float64Array, beta: Float64Array, b: number,
  wanted: number[], wantV: boolean, where: string): LanczosResult {
  const d = Float64Array.from(alpha.subarray(0, m));
  const e = new Float64Array(m);
  for (let i = 0; i < m - 1; i++) e[i] = beta[i]!;
  const S = new Float64Array(m * m);
  for (let i = 0; i < m; i++) S[i * m + i] = 1;
  tql(m, d, e, [S], m, where);
  const values = Float64Array.from(wanted, (i) => d[i]!);
  const residuals = Float64Array.from(wanted, (i) => Math.abs(b * S[(m - 1) * m + i]!));
  if (!wantV) return { values, residuals, iterations: m };
  const c = wanted.length;
  const V = new Float64Array(n * c), y = new Float64Array(n);
  wanted.forEach((idx, col) => {
    y.fill(0);
    for (let j = 0; j < m; j++) {
      const f = S[j * m + idx]!;
      if (f === 0) continue;
      const o = j * n;
      for (let i = 0; i < n; i++) y[i]! += f * Q[o + i]!;
    }
    for (let i = 0; i < n; i++) V[i * c + col] = y[i]!;
  });
  return { values, residuals, vectors: mat(n, c, V), iterations: m };
}

/** Options of {@link powerIteration}. */
export interface PowerOptions {
  /** Stop when the magnitude estimate changes by ≤ tol relative between steps (default 1e-10). */
  readonly tol?: number;
  /** Maximum matvec calls (default 10000); exceeded without convergence throws NumericalError. */
  readonly maxIter?: number;
  /** Random stream for the start vector (default createRng(0)). */
  readonly rng?: Rng;
}

/** Result of {@link powerIteration}. */
export interface PowerResult {
  /** Dominant eigenvalue magnitude estimate ‖A·x‖ with ‖x‖ = 1. */
  readonly magnitude: number;
  /** Rayleigh quotient xᵀ·A·x of the final unit vector (the signed dominant eigenvalue when it is unique). */
  readonly value: number;
  /** Final unit iterate x. */
  readonly vector: Float64Array;
  /** Number of matvec calls. */
  readonly iterations: number;
}

/**
 * Power iteration x ← A·x/‖A·x‖ for the dominant eigenvalue magnitude of a symmetric (or normal) operator.
 * The estimate ‖A·x‖ converges like (λ₂/λ₁)^{2t}, also when ±λ₁ are both eigenvalues. Throws InputError on bad
 * arguments, NumericalError when maxIter steps do not converge.
 */
export function powerIteration(matvec: MatVec, n: number, opts?: PowerOptions): PowerResult {
  const where = 'powerIteration';
  checkCommon(where, matvec, n, opts);
  const tol = posNum(where, 'tol', opts?.tol, 1e-10);
  const maxIter = posInt(where, 'maxIter', opts?.maxIter, 10000, 1);
  const rng = rngOpt(where, opts?.rng);
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  let nx = Math.sqrt(dot(x, x));
  for (let i = 0; i < n; i++) x[i]! /= nx;
  let prev = -1;
  for (let it = 1; it <= maxIter; it++) {
    applyChecked(where, matvec, x, y);
    const value = dot(x, y);
    const mag = Math.sqrt(dot(y, y));
    if (mag === 0) return { magnitude: 0, value: 0, vector: x, iterations: it };
    const done = Math.abs(mag - prev) <= tol * mag;
    prev = mag;
    if (done) return { magnitude: mag, value, vector: x, iterations: it };
    nx = mag;
    for (let i = 0; i < n; i++) x[i] = y[i]! / nx;
  }
  throw new NumericalError(`${where}: no convergence to tol = ${tol} within maxIter = ${maxIter} steps`);
}
