// The full student of the expected-value functions (leak, bias, readout features): types, validation, derivation.
//
// Student (the full model of the learning rules): h_0 = 0, h_t = (1−a) h_{t−1} + a (W h_{t−1} + U x_t + b),
// y_t = V z_t with z_t = h_t ("state"), [h_t; x_t] ("state+input") or [h_t; x_t; 1] ("state+input+bias"),
// V = [V_h, V_x, v_1] (O×F, F = N, N+I, N+I+1). The effective recursion is h_t = A h_{t−1} + Ũ x_t + β with
// A = (1−a)I + aW, Ũ = aU, β = a b. Teacher: h*_t = W* h*_{t−1} + U* x_t, y*_t = V* h*_t (no leak, no bias).
// Inputs x_t ~ N(0, I) i.i.d. (or circular CN(0, I): the loss formulas are the same); e_t = y*_t − y_t.
//
// The error splits into a deterministic part and a zero-mean part, e_t = μ_t + ε_t:
//   μ_t = −V_h m_t − v_1,  m_t = A m_{t−1} + β, m_0 = 0   (the mean state; v_1 = 0 without the constant feature),
//   ε_t = Σ_{k<t} E_k x_{t−k},  E_k = V* W*^k U* − V_h A^k Ũ − [k = 0] V_x   (the lag-k error matrix, O×I),
// so E[e_t e_tᵀ]-type moments split into μ μᵀ plus lag sums. With the loss weights w_t (terminal: w_T = 1;
// sequence-mean 1/T; sequence-sum 1) and the lag weights c_k = Σ_{t>k} w_t (1, (T−k)/T, T−k):
//   L = ½ Σ_t w_t ‖μ_t‖² + ½ Σ_{k<T} c_k ‖E_k‖_F².
// Expected updates (η factored out; a sequence loss applies the terminal rule at every t, weighted by w_t).
// With S_u = Σ_{t≥u} w_t μ_t (S_{T+1} = 0), M_k = A^k Ũ and E_k weighted by c_k:
//   ΔV_h = Σ_k E_k M_kᵀ + Σ_t w_t μ_t m_tᵀ,   ΔV_x = E_0,   Δv_1 = S_1;
//   BPTT ΔU = a Σ_{j<K} (Aᵀ)^j V_hᵀ E_j,   Δb = a Σ_{j<K} (Aᵀ)^j V_hᵀ S_{j+1},   ΔW = a Σ_{j<J} (Aᵀ)^j R_j,
//   R_j = F E_{j+1} Ũᵀ + F S_{j+2} βᵀ + R_{j+1} Aᵀ (R_{T−1} = 0; F = V_hᵀ for BPTT), by Horner evaluation,
// where K = min(τ, T), J = min(τ, T − 1) (τ = ∞ except tBPTT(τ)). R_j collects E[e h_{T−1−j}ᵀ]: the lag part
// Σ_l E_{j+1+l} M_lᵀ and the mean part μ m_{T−1−j}ᵀ (summed over the end times: m_{s+1} = A m_s + β gives the
// S_{j+2} βᵀ term). Eligibility family (trace p_t = ((1−a) + a d) ⊙ p_{t−1} + a v_t, v = h_{t−1}, x_t or 1;
// d = α (rflo), D (random-diagonal), diag(W) (e-prop)): the same with (Aᵀ)^j V_hᵀ → diag(c)^j F row-wise,
// c_i = (1−a) + a d_i, F = B (or V_hᵀ for e-prop feedback "VT"). RTRL's update equals BPTT's.
// Cost O(T·N³), no double sums. a = 1, no b, "state" is exactly the plain linear network's computation.
// T → ∞ loss: ½ tr(C X Cᴴ) + Re tr(C G V_xᴴ) + ½‖V_x‖_F² + ½‖μ_∞‖², A_s = blockdiag(A, W*), C = [V_h, −V*],
// G = [Ũ; U*], X = A_s X A_sᴴ + G Gᴴ (Stein), μ_∞ = −V_h Σ_k A^k β − v_1 (the sequence-mean limit is the same);
// X by the doubling (Smith) iteration X ← X + A X Aᴴ, A ← A², stopped when ‖A^{2^k}‖_F² ≤ 1e-17 (the
// remainder A^{2^k} X Aᴴ^{2^k} is then below rounding of X); the series Σ A^k β likewise to ‖A^{2^k}‖_F² ≤ 1e-34.
//
// The names follow the learning options (leakRate, readoutFeatures, params.b); expected.ts evaluates the formulas.
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import type { AnyMat, CMat, CVec, Vec } from '../core/types.js';
import { READOUT_FEATURES, type LossKind, type ReadoutFeatures, type RnnParams } from '../learning/types.js';
import { checkParams, checkMatShape, checkObject, isPlainObject } from '../core/guards.js';

/** Readout features z_t of the student: h_t, [h_t; x_t] or [h_t; x_t; 1] (the learning rules' own type). */
export type ExpectedReadoutFeatures = ReadoutFeatures;
/** Every readout-feature name, in help order (the learning rules' own list). */
export const EXPECTED_READOUT_FEATURES: readonly ExpectedReadoutFeatures[] = READOUT_FEATURES;

/**
 * Student parameters of the expected-value functions: W N×N, U N×I, V O×F and the optional bias b (length N;
 * absent = no bias and no db). expectedUpdate needs real blocks; expectedLoss also takes complex ones.
 */
export type ExpectedParams<M extends AnyMat = AnyMat> = RnnParams<M> & { readonly b?: Vec | CVec };

/** Options of the student model shared by expectedUpdate and expectedLoss (expected.ts). */
export interface ExpectedModelOptions {
  /** Leak rate a in (0, 1] (default 1: h_t = W h_{t−1} + U x_t + b). */
  readonly leakRate?: number;
  /** Readout features (default 'state'); V then has F = N, N + I or N + I + 1 columns. */
  readonly readoutFeatures?: ExpectedReadoutFeatures;
}

/** Options of expectedUpdate. */
export interface ExpectedUpdateOptions extends ExpectedModelOptions {
  /** Loss (default 'terminal'). */
  readonly loss?: LossKind;
  /** Learning rate η (default 1). */
  readonly eta?: number;
}

/** Options of expectedLoss (its 4th argument may also be just the loss name). */
export interface ExpectedLossOptions extends ExpectedModelOptions {
  /** Loss (default 'terminal'). */
  readonly loss?: LossKind;
}

/** The student model beyond W, U, V: leak a, features (F columns of V), bias b (undefined = none). */
export interface FullModel {
  readonly a: number;
  readonly features: ExpectedReadoutFeatures;
  readonly F: number;
  readonly b: Vec | CVec | undefined;
}

/** Validates the student {W, U, V, b} and the model options; V must have F columns for the features. */
export function readFull(where: string, p: unknown, o: ExpectedModelOptions, allowComplexBias: boolean): FullModel {
  const a = o.leakRate ?? 1;
  if (typeof a !== 'number' || !(a > 0 && a <= 1)) throw new InputError('leakRate', `${where}: leakRate = ${describeValue(a)}: must be a number in (0, 1]`);
  const features = o.readoutFeatures ?? 'state';
  if (!EXPECTED_READOUT_FEATURES.includes(features)) {
    throw new InputError('readoutFeatures', `${where}: readoutFeatures = ${describeValue(features)}: must be one of ${EXPECTED_READOUT_FEATURES.map((f) => `"${f}"`).join(', ')}`);
  }
  if (features === 'state') checkParams(where, p); // unchanged checks (and messages) of the plain network
  else {
    checkObject(where, 'params', p, 'an object {W, U, V} of matrices');
    for (const k of ['W', 'U', 'V'] as const) {
      if (p[k] === undefined) throw new InputError(k, `${where}: ${k} is required`);
      checkMatShape(where, k, p[k]);
    }
    const W = p['W'] as AnyMat, U = p['U'] as AnyMat;
    if (W.rows !== W.cols) throw new ShapeError('W', `${where}: W is ${W.rows}×${W.cols}, expected a square N×N matrix`);
    if (U.rows !== W.rows) throw new ShapeError('U', `${where}: U is ${U.rows}×${U.cols}, expected ${W.rows} rows (W is ${W.rows}×${W.rows})`);
  }
  const P = p as ExpectedParams;
  const n = P.W.rows, nIn = P.U.cols;
  const F = features === 'state' ? n : features === 'state+input' ? n + nIn : n + nIn + 1;
  if (P.V.cols !== F) {
    const how = features === 'state+input' ? `N + I = ${n} + ${nIn}` : `N + I + 1 = ${n} + ${nIn} + 1`;
    throw new ShapeError('V', `${where}: V is ${P.V.rows}×${P.V.cols}, expected F = ${how} = ${F} columns (readoutFeatures "${features}")`);
  }
  const b: unknown = P.b;
  if (b !== undefined) {
    const complex = isPlainObject(b) && b['re'] instanceof Float64Array && b['im'] instanceof Float64Array;
    if (!(b instanceof Float64Array) && !complex) {
      throw new InputError('b', `${where}: b = ${describeValue(b)}: must be a Float64Array of length N = ${n}${allowComplexBias ? ' or a complex vector {re, im}' : ''}`);
    }
    if (complex && !allowComplexBias) throw new InputError('b', `${where}: b is complex; expected updates are implemented for real networks`);
    const parts = b instanceof Float64Array ? [b] : [(b as unknown as CVec).re, (b as unknown as CVec).im];
    for (const v of parts) {
      if (v.length !== n) throw new ShapeError('b', `${where}: b has length ${v.length}: expected N = ${n}`);
      for (let i = 0; i < n; i++) if (!Number.isFinite(v[i]!)) throw new InputError('b', `${where}: b[${i}] = ${describeValue(v[i])}: must be finite`);
    }
  }
  return { a, features, F, b: b as Vec | CVec | undefined };
}

/** Validates the teacher: the plain network {W, U, V} (a `b` field is refused: the teacher has no bias). */
export function checkTeacher(where: string, t: unknown): void {
  checkParams(where, t, 'teacher.');
  if ((t as { b?: unknown }).b !== undefined) {
    throw new InputError('teacher.b', `${where}: teacher.b is given: the teacher is the plain linear network {W, U, V} (no bias, no leak, state readout)`);
  }
}

/** Loss weight w_t of the end time t (1-based): terminal 1 at t = T only, sequence-mean 1/T, sequence-sum 1. */
export function stepWeight(loss: LossKind, T: number, t: number): number {
  return loss === 'terminal' ? (t === T ? 1 : 0) : loss === 'sequence-mean' ? 1 / T : 1;
}

/** Columns [c0, c0 + w) of an r×c row-major array, as an r×w array. */
export function columns(data: Float64Array, r: number, c: number, c0: number, w: number): Float64Array {
  const out = new Float64Array(r * w);
  for (let i = 0; i < r; i++) for (let j = 0; j < w; j++) out[i * w + j] = data[i * c + c0 + j]!;
  return out;
}

/** The effective recursion matrix A = (1−a)I + aW (n×n), real. */
export function leakMatrix(W: Float64Array, n: number, a: number): Float64Array {
  const A = W.map((v) => a * v);
  for (let i = 0; i < n; i++) A[i * n + i]! += 1 - a;
  return A;
}

/** Columns [c0, c0 + w) of a complex matrix. */
export function cColumns(m: CMat, c0: number, w: number): CMat {
  return { rows: m.rows, cols: w, re: columns(m.re, m.rows, m.cols, c0, w), im: columns(m.im, m.rows, m.cols, c0, w) };
}

/**
 * Mean-error sums of the deterministic part (real): with m_t = A m_{t−1} + β (m_0 = 0, β null = 0) and
 * μ_t = −V_h m_t − v_1 (v_1 null = 0), returns S ((T+2)×O rows; row u = S_u = Σ_{t≥u} w_t μ_t, rows 0 and T+1
 * zero) and adds Σ_t w_t μ_t m_tᵀ to dVh (O×N). A n×n, V_h O×n row-major. Plain loops: O(T·N·(N + O)).
 */
export function meanErrorSums(A: Float64Array, beta: Float64Array | null, Vh: Float64Array, v1: Float64Array | null,
  n: number, nOut: number, T: number, loss: LossKind, dVh: Float64Array): Float64Array {
  const S = new Float64Array((T + 2) * nOut);
  let m = new Float64Array(n), next = new Float64Array(n);
  const mu = new Float64Array(nOut);
  for (let t = 1; t <= T; t++) {
    if (beta !== null) { // m_t = A m_{t−1} + β (two buffers, swapped)
      for (let i = 0; i < n; i++) {
        let s = beta[i]!;
        for (let j = 0; j < n; j++) s += A[i * n + j]! * m[j]!;
        next[i] = s;
      }
      [m, next] = [next, m];
    }
    for (let o = 0; o < nOut; o++) {
      let s = v1 === null ? 0 : v1[o]!;
      for (let j = 0; j < n; j++) s += Vh[o * n + j]! * m[j]!;
      mu[o] = -s;
    }
    const w = stepWeight(loss, T, t);
    for (let o = 0; o < nOut; o++) S[t * nOut + o] = w * mu[o]!;
    if (beta !== null && w !== 0) for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) dVh[o * n + j]! += w * mu[o]! * m[j]!;
  }
  for (let t = T; t >= 1; t--) for (let o = 0; o < nOut; o++) S[t * nOut + o]! += S[(t + 1) * nOut + o]!;
  return S;
}

/**
 * The readout update ΔV (O×F) from its blocks: ΔV_h (O×N), ΔV_x = E_0 (O×I, already weighted) and, with the
 * constant feature, Δv_1 = S_1 (row 1 of the mean-error sums).
 */
export function assembleReadout(dVh: Float64Array, E0: Float64Array, S: Float64Array | null, n: number, nIn: number, nOut: number, F: number): Float64Array {
  const dV = new Float64Array(nOut * F);
  for (let o = 0; o < nOut; o++) {
    for (let j = 0; j < n; j++) dV[o * F + j] = dVh[o * n + j]!;
    for (let j = 0; j < nIn; j++) dV[o * F + n + j] = E0[o * nIn + j]!;
    if (F === n + nIn + 1) dV[o * F + n + nIn] = S![nOut + o]!;
  }
  return dV;
}

/** μ = −(V_h m + v_1) (complex; m null = 0, v_1 null = 0) into mu (O), and ½‖μ‖². */
function halfMeanSq(Vh: CMat, m: CMat | null, v1: CMat | null, mr: Float64Array, mi: Float64Array): number {
  const n = Vh.cols;
  let total = 0;
  for (let o = 0; o < Vh.rows; o++) {
    let sr = v1 === null ? 0 : v1.re[o]!, si = v1 === null ? 0 : v1.im[o]!;
    if (m !== null) {
      for (let j = 0; j < n; j++) {
        const ar = Vh.re[o * n + j]!, ai = Vh.im[o * n + j]!, br = m.re[j]!, bi = m.im[j]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
    }
    mr[o] = -sr;
    mi[o] = -si;
    total += sr * sr + si * si;
  }
  return 0.5 * total;
}

/** y = A x + y (complex n×n A, length-n x and y). */
function cMatVecAdd(A: CMat, xr: Float64Array, xi: Float64Array, yr: Float64Array, yi: Float64Array): void {
  const n = A.rows;
  for (let i = 0; i < n; i++) {
    let sr = yr[i]!, si = yi[i]!;
    for (let j = 0; j < n; j++) {
      const ar = A.re[i * n + j]!, ai = A.im[i * n + j]!;
      sr += ar * xr[j]! - ai * xi[j]!;
      si += ar * xi[j]! + ai * xr[j]!;
    }
    yr[i] = sr;
    yi[i] = si;
  }
}

/**
 * Mean part ½ Σ_t w_t ‖μ_t‖² of the finite-T expected loss (complex): m_t = A m_{t−1} + β from m_0 = 0 (β null:
 * m = 0), μ_t = −V_h m_t − v_1. A n×n, β n×1, V_h O×n, v_1 O×1. Plain loops, O(T·N·(N + O)).
 */
export function meanLossFinite(A: CMat, beta: CMat | null, Vh: CMat, v1: CMat | null, T: number, loss: LossKind): number {
  const n = A.rows, nOut = Vh.rows;
  const mr = new Float64Array(nOut), mi = new Float64Array(nOut);
  let m: CMat | null = beta === null ? null : { rows: n, cols: 1, re: new Float64Array(n), im: new Float64Array(n) };
  let next: CMat = { rows: n, cols: 1, re: new Float64Array(n), im: new Float64Array(n) };
  let total = 0;
  for (let t = 1; t <= T; t++) {
    if (beta !== null) { // m_t = A m_{t−1} + β (two buffers, swapped)
      next.re.set(beta.re);
      next.im.set(beta.im);
      cMatVecAdd(A, m!.re, m!.im, next.re, next.im);
      [m, next] = [next, m!];
    }
    const w = stepWeight(loss, T, t);
    if (w !== 0) total += w * halfMeanSq(Vh, m, v1, mr, mi);
  }
  return total;
}

/**
 * Limit ½‖μ_∞‖² of the mean part, μ_∞ = −V_h m_∞ − v_1 with m_∞ = Σ_{k≥0} A^k β summed by doubling
 * (s ← s + A_k s, A_k ← A_k²) until ‖A_k‖_F² ≤ 1e-34, where the remainder A_k m_∞ is below rounding. Null when
 * the series diverges (ρ(A) ≥ 1). β null: m_∞ = 0.
 */
export function meanLossLimit(A: CMat, beta: CMat | null, Vh: CMat, v1: CMat | null): number | null {
  const mr = new Float64Array(Vh.rows), mi = new Float64Array(Vh.rows);
  if (beta === null) return halfMeanSq(Vh, null, v1, mr, mi);
  const n = A.rows;
  let Ar = Float64Array.from(A.re), Ai = Float64Array.from(A.im);
  const s: CMat = { rows: n, cols: 1, re: Float64Array.from(beta.re), im: Float64Array.from(beta.im) };
  const tr = new Float64Array(n), ti = new Float64Array(n);
  for (let it = 0; it < 100; it++) {
    let a2 = 0;
    for (let k = 0; k < Ar.length; k++) a2 += Ar[k]! * Ar[k]! + Ai[k]! * Ai[k]!;
    if (a2 <= 1e-34) return halfMeanSq(Vh, s, v1, mr, mi);
    if (!Number.isFinite(a2) || a2 > 1e300) return null;
    tr.fill(0);
    ti.fill(0);
    const Ak: CMat = { rows: n, cols: n, re: Ar, im: Ai };
    cMatVecAdd(Ak, s.re, s.im, tr, ti); // s ← s + A_k s
    for (let i = 0; i < n; i++) { s.re[i]! += tr[i]!; s.im[i]! += ti[i]!; }
    const Br = new Float64Array(n * n), Bi = new Float64Array(n * n); // A_k ← A_k²
    for (let i = 0; i < n; i++) {
      for (let l = 0; l < n; l++) {
        const ar = Ar[i * n + l]!, ai = Ai[i * n + l]!;
        if (ar === 0 && ai === 0) continue;
        for (let j = 0; j < n; j++) {
          Br[i * n + j]! += ar * Ar[l * n + j]! - ai * Ai[l * n + j]!;
          Bi[i * n + j]! += ar * Ai[l * n + j]! + ai * Ar[l * n + j]!;
        }
      }
    }
    Ar = Br;
    Ai = Bi;
  }
  return null;
}
