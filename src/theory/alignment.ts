// Mode estimation and alignment metrics of a trained, not necessarily data-aligned network (docs/theory/alignment.md §1–3).
//
// A data-aligned network (docs/theory/expected.md §4.2) is W = P W̄ Pᵀ, U = P Ū Rᵀ, V = L V̄ Pᵀ (and B = P B̄ Lᵀ)
// with diagonal bars. For a general network we estimate the bars from the eigendecomposition W = P Λ P⁻¹:
//   Ŵ̄ = Λ,   Ū̂ = P⁺ U R,   V̂̄ = Lᵀ V P,   B̂̄ = P⁺ B L,
// with the columns of P made canonical (alignment.md §1): phase fixed so the largest-modulus component is real and
// positive, real part kept, unit 2-norm, sign so the largest-magnitude entry is positive, columns sorted by the real
// part of the eigenvalue, descending. Mode i is (Λ_ii, Ū̂_ii, V̂̄_ii, B̂̄_ii). The alignment of a rectangular M is
// A(M) = Σ_i M_ii² / ‖M‖_F² ∈ [0, 1], 1 exactly when M is rectangular-diagonal (alignment.md §2).
import { InputError, ShapeError } from '../core/errors.js';
import { mat, type Mat } from '../core/types.js';
import { checkInt, checkObject, checkOptional, checkParams } from '../core/guards.js';
import { checkMatrix } from '../linalg/checks.js';
import { eig, sortEig } from '../linalg/eig.js';
import { pinv } from '../linalg/pinv.js';
import type { RnnParams } from '../learning/types.js';

/** Options of {@link estimateModes}: the feedback matrix and the teacher's input/output bases. */
export interface ModeEstimateOptions {
  /** Feedback matrix B (N×O) of RFLO / e-prop / random-diagonal; when given, B̂̄ and the b_i are estimated. */
  readonly B?: Mat;
  /** Teacher input basis R (I×I, orthogonal); default the identity. */
  readonly R?: Mat;
  /** Teacher output basis L (O×O, orthogonal); default the identity. */
  readonly L?: Mat;
}

/** Estimated modes of a network (alignment.md §1); m = min(N, I, O) modes. */
export interface ModeEstimate {
  /** Canonical eigenvector matrix P (N×N, real, unit columns, sorted by decreasing real eigenvalue). */
  readonly P: Mat;
  /** Moore–Penrose pseudo-inverse P⁺ (N×N; P⁻¹ when P is invertible). */
  readonly Pinv: Mat;
  /** Real parts of the eigenvalues of W, descending (the diagonal of Ŵ̄), length N. */
  readonly lambda: Float64Array;
  /** The discarded imaginary parts, in the same order, length N (all 0 when W has a real spectrum). */
  readonly lambdaIm: Float64Array;
  /** Ū̂ = P⁺ U R (N×I). */
  readonly Ubar: Mat;
  /** V̂̄ = Lᵀ V P (O×N). */
  readonly Vbar: Mat;
  /** B̂̄ = P⁺ B L (N×O), when B is given. */
  readonly Bbar?: Mat;
  /** Per-mode recurrent weights w_i = Λ_ii, i < m. */
  readonly w: Float64Array;
  /** Per-mode input weights u_i = Ū̂_ii. */
  readonly u: Float64Array;
  /** Per-mode output weights v_i = V̂̄_ii. */
  readonly v: Float64Array;
  /** Per-mode feedback b_i = B̂̄_ii, when B is given. */
  readonly b?: Float64Array;
}

/** C = A·B for row-major dense arrays (A r×k, B k×c). */
function mul(r: number, k: number, c: number, A: Float64Array, B: Float64Array): Float64Array {
  const C = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < k; l++) {
      const a = A[i * k + l]!;
      if (a === 0) continue;
      for (let j = 0; j < c; j++) C[i * c + j]! += a * B[l * c + j]!;
    }
  }
  return C;
}

/** Aᵀ of a row-major r×c array. */
function tr(r: number, c: number, A: Float64Array): Float64Array {
  const T = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) T[j * r + i] = A[i * c + j]!;
  return T;
}

/** Index of the first entry of largest modulus |re + i·im| in column j of an n×n split matrix. */
function argmaxAbs(n: number, j: number, re: Float64Array, im: Float64Array): number {
  let best = 0, bv = -1;
  for (let i = 0; i < n; i++) {
    const a = Math.hypot(re[i * n + j]!, im[i * n + j]!);
    if (a > bv) { bv = a; best = i; }
  }
  return best;
}

/**
 * Canonical real eigenvector matrix of W (alignment.md §1): eigenpairs sorted by decreasing real part (ties:
 * decreasing imaginary part), each complex eigenvector rotated so its largest-modulus component is real and
 * positive, the real part kept, normalised to unit 2-norm (a zero real part stays zero), and signed so its
 * largest-magnitude entry is positive (the first one on ties).
 */
function canonicalEigen(W: Mat): { P: Float64Array; re: Float64Array; im: Float64Array } {
  const n = W.rows;
  const r = sortEig(eig(W, { vectors: true }), 'real');
  const vr = r.vectors!.re, vi = r.vectors!.im;
  const P = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const k = argmaxAbs(n, j, vr, vi);
    const pr = vr[k * n + j]!, pi = vi[k * n + j]!, m = Math.hypot(pr, pi);
    // multiply the column by conj(v_k)/|v_k| (unit phase); keep the real part
    const cr = m > 0 ? pr / m : 1, ci = m > 0 ? -pi / m : 0;
    let nrm = 0;
    for (let i = 0; i < n; i++) {
      const x = vr[i * n + j]! * cr - vi[i * n + j]! * ci;
      P[i * n + j] = x;
      nrm += x * x;
    }
    nrm = Math.sqrt(nrm);
    if (nrm > 0) for (let i = 0; i < n; i++) P[i * n + j]! /= nrm;
    let big = 0, bv = -1;
    for (let i = 0; i < n; i++) { const a = Math.abs(P[i * n + j]!); if (a > bv) { bv = a; big = i; } }
    if (P[big * n + j]! < 0) for (let i = 0; i < n; i++) P[i * n + j] = -P[i * n + j]!;
  }
  return { P, re: r.values.re, im: r.values.im };
}

function checkBasis(where: string, field: string, M: unknown, size: number, what: string): void {
  checkMatrix(where, field, M);
  if ('re' in M) throw new InputError(field, `${where}: ${field} is complex: must be a real Mat`);
  if (M.rows !== size || M.cols !== size) throw new ShapeError(field, `${where}: ${field} is ${M.rows}×${M.cols}, expected ${size}×${size} (${what})`);
}

/** Validates {W, U, V} (real, finite) and the options; returns the sizes. */
function readInputs(where: string, params: RnnParams<Mat>, o: ModeEstimateOptions): { n: number; nIn: number; nOut: number } {
  checkParams(where, params, '', 'real');
  for (const f of ['W', 'U', 'V'] as const) checkMatrix(where, f, params[f]);
  checkOptional(where, 'options', o);
  const n = params.W.rows, nIn = params.U.cols, nOut = params.V.rows;
  if (o.R !== undefined) checkBasis(where, 'R', o.R, nIn, 'I×I, I the number of inputs');
  if (o.L !== undefined) checkBasis(where, 'L', o.L, nOut, 'O×O, O the number of outputs');
  if (o.B !== undefined) {
    checkMatrix(where, 'B', o.B);
    if ('re' in o.B) throw new InputError('B', `${where}: B is complex: must be a real Mat`);
    if (o.B.rows !== n || o.B.cols !== nOut) throw new ShapeError('B', `${where}: B is ${o.B.rows}×${o.B.cols}, expected N×O = ${n}×${nOut}`);
  }
  return { n, nIn, nOut };
}

/**
 * Estimated modes of a trained network (alignment.md §1; the data-aligned form of docs/theory/expected.md §4.2):
 * P from the eigendecomposition of W (canonical columns, see the module header), P⁺ by SVD ({@link pinv},
 * default cutoff), Ū̂ = P⁺UR (N×I), V̂̄ = LᵀVP (O×N), B̂̄ = P⁺BL (N×O) and the per-mode (w_i, u_i, v_i, b_i),
 * i < min(N, I, O). Real finite W (N×N), U (N×I), V (O×N); R (I×I) and L (O×O) default to the identity. For an
 * aligned network with decreasing w̄ the estimates recover the bars up to one sign per mode, applied jointly to
 * (u_i, v_i, b_i). Throws InputError/ShapeError naming the field for bad input.
 */
export function estimateModes(params: RnnParams<Mat>, opts: ModeEstimateOptions = {}): ModeEstimate {
  const where = 'estimateModes';
  checkObject(where, 'params', params, 'an object {W, U, V} of matrices');
  const { n, nIn, nOut } = readInputs(where, params, opts);
  return estimate(params, opts, n, nIn, nOut);
}

function estimate(params: RnnParams<Mat>, opts: ModeEstimateOptions, n: number, nIn: number, nOut: number): ModeEstimate {
  const { P, re, im } = canonicalEigen(params.W);
  const Pinv = pinv(mat(n, n, P)).pinv;
  const PU = mul(n, n, nIn, Pinv.data, params.U.data);
  const Ubar = opts.R ? mul(n, nIn, nIn, PU, opts.R.data) : PU;
  const VP = mul(nOut, n, n, params.V.data, P);
  const Vbar = opts.L ? mul(nOut, nOut, n, tr(nOut, nOut, opts.L.data), VP) : VP;
  let Bbar: Float64Array | undefined;
  if (opts.B) {
    const PB = mul(n, n, nOut, Pinv.data, opts.B.data);
    Bbar = opts.L ? mul(n, nOut, nOut, PB, opts.L.data) : PB;
  }
  const m = Math.min(n, nIn, nOut);
  const w = re.slice(0, m), u = new Float64Array(m), v = new Float64Array(m), b = Bbar ? new Float64Array(m) : undefined;
  for (let i = 0; i < m; i++) {
    u[i] = Ubar[i * nIn + i]!;
    v[i] = Vbar[i * n + i]!;
    if (b && Bbar) b[i] = Bbar[i * nOut + i]!;
  }
  return {
    P: mat(n, n, P), Pinv, lambda: re, lambdaIm: im, Ubar: mat(n, nIn, Ubar), Vbar: mat(nOut, n, Vbar),
    ...(Bbar ? { Bbar: mat(n, nOut, Bbar) } : {}), w, u, v, ...(b ? { b } : {}),
  };
}

/** Σ_i M_ii² / ‖M‖_F² for a row-major r×c array (1 for the zero matrix, which is rectangular-diagonal). */
function score(r: number, c: number, M: Float64Array): number {
  // scale by the largest entry first so the squares neither overflow nor underflow
  let mx = 0;
  for (let i = 0; i < M.length; i++) mx = Math.max(mx, Math.abs(M[i]!));
  if (mx === 0) return 1;
  let diag = 0, all = 0;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    const x = M[i * c + j]! / mx, x2 = x * x;
    all += x2;
    if (i === j) diag += x2;
  }
  return diag / all;
}

/**
 * Alignment A(M) = Σ_{i < min(r, c)} M_ii² / ‖M‖_F² of a real r×c matrix (alignment.md §2): in [0, 1], 1 exactly
 * when M is rectangular-diagonal. The zero matrix (and an empty one) counts as diagonal: A = 1.
 */
export function alignmentScore(M: Mat): number {
  checkMatrix('alignmentScore', 'M', M);
  if ('re' in M) throw new InputError('M', 'alignmentScore: M is complex: must be a real Mat');
  return score(M.rows, M.cols, M.data);
}

/** Options of {@link alignments}. */
export interface AlignmentOptions extends ModeEstimateOptions {
  /** Number of teacher modes N* (1 ≤ N* ≤ N): the recurrent alignment looks at the first N* rows of PᵀP. */
  readonly nTeacher: number;
}

/** The four alignments of alignment.md §3 and the mode estimate they come from. */
export interface Alignments {
  /** A((PᵀP)_[N*]): the first N* rows of PᵀP (N*×N). */
  readonly recurrent: number;
  /** A(P⁺UR). */
  readonly input: number;
  /** A(LᵀVP). */
  readonly output: number;
  /** A(P⁺BL), when B is given. */
  readonly feedback?: number;
  /** The mode estimate ({@link estimateModes}). */
  readonly modes: ModeEstimate;
}

/**
 * Recurrent, input, output and (with B) feedback alignment of a trained network (alignment.md §3): the alignment
 * functional {@link alignmentScore} of the first N* rows of PᵀP, of P⁺UR, LᵀVP and P⁺BL, with P the canonical
 * eigenvector matrix of {@link estimateModes}. Real finite W (N×N), U (N×I), V (O×N), B (N×O); opts.nTeacher an
 * integer in [1, N]; R, L default to the identity. All values lie in [0, 1]; 1 for a data-aligned network with
 * decreasing w̄ (and aligned feedback).
 */
export function alignments(params: RnnParams<Mat>, opts: AlignmentOptions): Alignments {
  const where = 'alignments';
  checkObject(where, 'params', params, 'an object {W, U, V} of matrices');
  checkObject(where, 'options', opts, 'an object {nTeacher, B?, R?, L?}');
  const { n, nIn, nOut } = readInputs(where, params, opts);
  if (opts.nTeacher === undefined) throw new InputError('nTeacher', `${where}: nTeacher is required (the number of teacher modes N*, an integer in [1, ${n}])`);
  if (n === 0) throw new ShapeError('W', `${where}: W is 0×0: the network needs at least one unit`);
  checkInt(where, 'nTeacher', opts.nTeacher, 1, n);
  const e = estimate(params, opts, n, nIn, nOut);
  const ns = opts.nTeacher;
  // first N* rows of PᵀP
  const PtP = mul(n, n, n, tr(n, n, e.P.data), e.P.data).subarray(0, ns * n);
  return {
    recurrent: score(ns, n, PtP),
    input: score(n, nIn, e.Ubar.data),
    output: score(nOut, n, e.Vbar.data),
    ...(e.Bbar ? { feedback: score(n, nOut, e.Bbar.data) } : {}),
    modes: e,
  };
}
