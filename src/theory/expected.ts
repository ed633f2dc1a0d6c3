// Expected updates and expected loss under white-noise inputs (docs/theory/expected.md §1–3), any matrices, finite T and T → ∞.
//
// With x_t ~ N(0, I) i.i.d. (or circular CN(0, I): the loss formulas are the same), the lag-k error matrix
// E_k = V* W*^k U* − V W^k U (O×I) determines everything: E[e_T x_{T−k}ᵀ] = E_k and
// L_T = ½ Σ_{k<T} ‖E_k‖_F². Expected updates (terminal loss, η factored out), with M_k = W^k U:
//   ΔV = Σ_{k<T} E_k M_kᵀ;   BPTT ΔU = Σ_{k<T} (Wᵀ)^k Vᵀ E_k,
//   BPTT ΔW = Σ_{k=1}^{T−1} Σ_{j<k} (Wᵀ)^j Vᵀ E_k M_{k−1−j}ᵀ = Σ_{j=0}^{T−2} (Wᵀ)^j R_j,
//   R_j = Σ_{l=0}^{T−2−j} Vᵀ E_{j+1+l} M_lᵀ, computed by the recursion R_j = Vᵀ E_{j+1} Uᵀ + R_{j+1} Wᵀ;
//   tBPTT(τ): j < min(τ, T−1) in ΔW and k < min(τ, T) in ΔU; eligibility family: (Wᵀ)^j Vᵀ → d_i^j F
//   row-wise (§2.2). Cost O(T·N³) by Horner evaluation, no double sums.
// Sequence losses: the average over t of the terminal-at-t updates equals the terminal formula with E_k
// weighted by (T − k)/T (sequence-mean) or (T − k) (sequence-sum), because lag k occurs at T − k end times.
// T → ∞ loss: ½ tr(C X Cᴴ), A = blockdiag(W, W*), C = [V, −V*], G = [U; U*], X = A X Aᴴ + G Gᴴ (Stein),
// solved by the doubling (Smith) iteration X ← X + A X Aᴴ, A ← A², stopped when ‖A^{2^k}‖_F² ≤ 1e-17
// (the remainder A^{2^k} X Aᴴ^{2^k} is then below rounding of X).
// Full student (leak a, bias b, readout features [h; x; 1]; model, validation and derivation in expected-model.ts):
// the same computation with W → A = (1−a)I + aW, U → aU, V → V_h (the state columns), E_0 → E_0 − V_x, plus the
// mean-error terms of the bias and the constant feature; ΔW, ΔU and Δb carry a factor a.
import { InputError, NumericalError, ShapeError, describeValue } from '../core/errors.js';
import { isCMat, mat, toComplex, type AnyMat, type CMat, type Mat, type Vec } from '../core/types.js';
import { eig } from '../linalg/eig.js';
import { defaultBackend } from '../backend/index.js';
import { checkLoss } from '../learning/losses.js';
import { validateRuleSpec } from '../learning/rules.js';
import type { LossKind, RnnParams, RuleSpec } from '../learning/types.js';
import { checkMatShape, checkOptional, isPlainObject } from '../core/guards.js';
import {
  assembleReadout, cColumns, checkTeacher, columns, leakMatrix, meanErrorSums, meanLossFinite, meanLossLimit, readFull,
  type ExpectedLossOptions, type ExpectedParams, type ExpectedUpdateOptions,
} from './expected-model.js';

export {
  EXPECTED_READOUT_FEATURES,
  type ExpectedReadoutFeatures, type ExpectedParams, type ExpectedModelOptions, type ExpectedUpdateOptions, type ExpectedLossOptions,
} from './expected-model.js';

/** Expected updates to ADD (η included) for W (N×N), U (N×I), V (O×F) and, when the student has a bias, b (N). */
export interface ExpectedUpdate {
  readonly dW: Mat;
  readonly dU: Mat;
  readonly dV: Mat;
  readonly db?: Vec;
}

function shapes(where: string, p: RnnParams, prefix: string, F?: number): { n: number; nIn: number; nOut: number } {
  const { W, U, V } = p;
  const f = (b: string): string => `${prefix}${b}`;
  if (W.rows !== W.cols) throw new ShapeError(f('W'), `${where}: ${f('W')} is ${W.rows}×${W.cols}, expected square`);
  if (U.rows !== W.rows) throw new ShapeError(f('U'), `${where}: ${f('U')} is ${U.rows}×${U.cols}, expected ${W.rows} rows`);
  if (V.cols !== (F ?? W.rows)) throw new ShapeError(f('V'), `${where}: ${f('V')} is ${V.rows}×${V.cols}, expected ${F ?? W.rows} columns`);
  return { n: W.rows, nIn: U.cols, nOut: V.rows };
}

function checkPair(where: string, p: RnnParams, t: RnnParams, F: number): { n: number; nt: number; nIn: number; nOut: number } {
  const s = shapes(where, p, '', F), q = shapes(where, t, 'teacher.');
  if (s.nIn !== q.nIn) throw new ShapeError('teacher.U', `${where}: teacher.U has ${q.nIn} columns, U has ${s.nIn}`);
  if (s.nOut !== q.nOut) throw new ShapeError('teacher.V', `${where}: teacher.V has ${q.nOut} rows, V has ${s.nOut}`);
  return { n: s.n, nt: q.n, nIn: s.nIn, nOut: s.nOut };
}

/**
 * Largest finite horizon accepted: the cost is O(T·N³) time (and O(T·N·I) memory for expectedUpdate); a longer
 * horizon is the T → ∞ limit to rounding for any stable network (expectedLoss(…, 'inf')).
 */
const MAX_EXPECTED_T = 100_000;

/** Largest number of stored lag-matrix entries, T·(O·I + 2·N·I), of expectedUpdate (2^25 doubles = 256 MiB). */
const MAX_LAG_NUMBERS = 2 ** 25;

function checkT(where: string, T: unknown): number {
  const inf = where === 'expected-loss';
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1) throw new InputError('T', `${where}: T = ${describeValue(T)}: must be an integer >= 1${inf ? ' or "inf"' : ''}`);
  if (T > MAX_EXPECTED_T) {
    throw new InputError('T', `${where}: T = ${describeValue(T)}: must be <= ${MAX_EXPECTED_T} (the cost grows as T·N³)${inf ? '; use "inf" for the long-horizon limit' : ''}`);
  }
  return T;
}

/** Lag weights c_k (k < T) of the loss: 1 (terminal), (T−k)/T (sequence-mean), T−k (sequence-sum). */
function lagWeights(loss: LossKind, T: number): Float64Array {
  const c = new Float64Array(T);
  for (let k = 0; k < T; k++) c[k] = loss === 'terminal' ? 1 : loss === 'sequence-mean' ? (T - k) / T : T - k;
  return c;
}

/** C (m×n) = op(A)·op(B) + beta·C with the active real GEMM kernel. */
function gemm(tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float64Array, b: Float64Array, beta: number, c: Float64Array, alpha = 1): void {
  defaultBackend().blas.gemm(tA, tB, m, n, k, alpha, a, b, beta, c);
}

/** E_k (O×I, weighted by c_k) and M_k = W^k U (N×I) for k < T (real matrices). */
function lagMatrices(p: RnnParams<Mat>, t: RnnParams<Mat>, T: number, c: Float64Array): { E: Float64Array[]; M: Float64Array[] } {
  const n = p.W.rows, nt = t.W.rows, nIn = p.U.cols, nOut = p.V.rows;
  const E: Float64Array[] = [], M: Float64Array[] = [];
  let Mk = Float64Array.from(p.U.data), Ms = Float64Array.from(t.U.data);
  for (let k = 0; k < T; k++) {
    const e = new Float64Array(nOut * nIn);
    gemm(false, false, nOut, nIn, nt, t.V.data, Ms, 0, e);
    gemm(false, false, nOut, nIn, n, p.V.data, Mk, 1, e, -1);
    for (let i = 0; i < e.length; i++) e[i]! *= c[k]!;
    E.push(e);
    M.push(Mk);
    if (k + 1 < T) {
      const a = new Float64Array(n * nIn), b = new Float64Array(nt * nIn);
      gemm(false, false, n, nIn, n, p.W.data, Mk, 0, a);
      gemm(false, false, nt, nIn, nt, t.W.data, Ms, 0, b);
      Mk = a;
      Ms = b;
    }
  }
  return { E, M };
}

/**
 * Expected update E[Δθ] of `rule` for student `params` and `teacher` under white-noise inputs, sequence
 * length T, loss (default 'terminal'), learning rate eta (default 1). Real matrices; RTRL's equals BPTT's.
 * The student is the full model of the learning rules (module header): `params.b` (length N, optional: then
 * `db` is answered), `leakRate` a in (0, 1] (default 1) and `readoutFeatures` ('state' default, V O×N;
 * 'state+input', V O×(N+I); 'state+input+bias', V O×(N+I+1)); the teacher is the plain network {W*, U*, V*}.
 * Rule parameters as in computeUpdate: tbptt tau; rflo alpha, B; random-diagonal D, B; eprop B or feedback 'VT'
 * (e-prop's decays are diag(W) of `params`; with leak every eligibility decay d becomes (1−a) + a·d). T is an
 * integer in [1, 100000] with T·(O·I + 2·N·I) ≤ 2^25 (the stored lag matrices); larger T throws InputError.
 */
export function expectedUpdate(rule: RuleSpec, params: ExpectedParams, teacher: RnnParams, T: number,
  opts: ExpectedUpdateOptions = {}): ExpectedUpdate {
  const where = 'expected-update';
  checkOptional(where, 'options', opts);
  const full = readFull(where, params, opts, false);
  checkTeacher(where, teacher);
  const spec = validateRuleSpec(rule, where);
  for (const [k, m] of [['W', params.W], ['U', params.U], ['V', params.V], ['teacher.W', teacher.W], ['teacher.U', teacher.U], ['teacher.V', teacher.V]] as const) {
    if (isCMat(m)) throw new InputError(k, `${where}: ${k} is complex; expected updates are implemented for real matrices`);
  }
  const p = params as ExpectedParams<Mat>, q = teacher as RnnParams<Mat>;
  const { n, nIn, nOut } = checkPair(where, p, q, full.F);
  checkT(where, T);
  const stored = T * (nOut * nIn + 2 * n * nIn);
  if (stored > MAX_LAG_NUMBERS) {
    throw new InputError('T', `${where}: T = ${T} with N = ${n}, I = ${nIn}, O = ${nOut} would store T·(O·I + 2·N·I) = ${stored} lag-matrix entries: at most 2^25 = ${MAX_LAG_NUMBERS}; use a smaller T`);
  }
  const loss = checkLoss(opts.loss ?? 'terminal', where);
  const eta = opts.eta ?? 1;
  if (typeof eta !== 'number' || !Number.isFinite(eta)) throw new InputError('eta', `${where}: eta = ${describeValue(eta)}: must be a finite number`);

  // Effective recursion h_t = A h_{t−1} + Ũ x_t + β and the readout blocks V = [V_h, V_x, v_1].
  const a = full.a, leaky = a !== 1, F = full.F;
  const W = leaky ? leakMatrix(p.W.data, n, a) : p.W.data; // A
  const Ud = leaky ? p.U.data.map((v) => a * v) : p.U.data; // Ũ
  const Vh = F === n ? p.V.data : columns(p.V.data, nOut, F, 0, n);
  const b = full.b as Vec | undefined;
  const beta = b === undefined ? null : leaky ? b.map((v) => a * v) : b;
  const c = lagWeights(loss, T);
  const { E, M } = lagMatrices({ W: mat(n, n, W), U: mat(n, nIn, Ud), V: mat(nOut, n, Vh) }, q, T, c);
  if (full.features !== 'state') { // E_0 −= V_x (weighted by c_0)
    for (let o = 0; o < nOut; o++) for (let j = 0; j < nIn; j++) E[0]![o * nIn + j]! -= c[0]! * p.V.data[o * F + n + j]!;
  }

  const dVh = new Float64Array(nOut * n);
  for (let k = 0; k < T; k++) gemm(false, true, nOut, n, nIn, E[k]!, M[k]!, 1, dVh);

  // Deterministic part (a bias or the constant feature): S_u = Σ_{t≥u} w_t μ_t and ΔV_h += Σ_t w_t μ_t m_tᵀ.
  const v1 = full.features === 'state+input+bias' ? columns(p.V.data, nOut, F, n + nIn, 1) : null;
  const S = beta !== null || v1 !== null ? meanErrorSums(W, beta, Vh, v1, n, nOut, T, loss, dVh) : null;
  const dV = F === n ? dVh : assembleReadout(dVh, E[0]!, S, n, nIn, nOut, F);

  // Feedback F (N×O) and, for the eligibility family, row decays d; BPTT-like rules use F = V_hᵀ and powers of Aᵀ.
  let Fb: Float64Array, d: Float64Array | null = null;
  let tau = Infinity;
  const VhT = (): Float64Array => transposeData(mat(nOut, n, Vh));
  switch (spec.name) {
    case 'bptt': case 'rtrl': Fb = VhT(); break;
    case 'tbptt': Fb = VhT(); tau = spec.tau; break;
    case 'rflo': Fb = feedback(spec.B, n, nOut, where); d = new Float64Array(n).fill(spec.alpha); break;
    case 'random-diagonal':
      Fb = feedback(spec.B, n, nOut, where);
      if (spec.D.length !== n) throw new ShapeError('D', `${where}: D has length ${spec.D.length}, expected N = ${n}`);
      d = Float64Array.from(spec.D);
      break;
    case 'eprop':
      Fb = spec.feedback === 'VT' ? VhT() : feedback(spec.B, n, nOut, where);
      d = Float64Array.from({ length: n }, (_, i) => p.W.data[i * n + i]!);
      break;
  }
  if (d !== null && leaky) for (let i = 0; i < n; i++) d[i] = 1 - a + a * d[i]!; // trace decay (1−a) + a·d
  // Q_k = F E_k (N×I)
  const Q = E.map((e) => { const r = new Float64Array(n * nIn); gemm(false, false, n, nIn, nOut, Fb, e, 0, r); return r; });
  // Horner step S ← R + P·S with P = Aᵀ (BPTT-like) or diag(d) (eligibility), for an (n × m) S.
  const horner = (X: Float64Array, R: Float64Array, m: number): Float64Array => {
    const out = Float64Array.from(R);
    if (d === null) gemm(true, false, n, m, n, W, X, 1, out);
    else for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out[i * m + j]! += d[i]! * X[i * m + j]!;
    return out;
  };
  /** F S_u (N), the feedback of the summed mean error from end times ≥ u (in a buffer reused by every call). */
  const fs = new Float64Array(n);
  const FS = (u: number): Float64Array => {
    gemm(false, false, n, 1, nOut, Fb, S!.subarray(u * nOut, (u + 1) * nOut), 0, fs);
    return fs;
  };
  const J = Math.min(tau, T - 1), K = Math.min(tau, T);
  let SU: Float64Array = new Float64Array(n * nIn);
  for (let k = K - 1; k >= 0; k--) SU = horner(SU, Q[k]!, nIn);
  let SW: Float64Array = new Float64Array(n * n);
  let R: Float64Array = new Float64Array(n * n);
  for (let j = T - 2; j >= 0; j--) {
    // R_j = Q_{j+1} Ũᵀ + (F S_{j+2}) βᵀ + R_{j+1} Aᵀ
    const Rn = new Float64Array(n * n);
    gemm(false, true, n, n, nIn, Q[j + 1]!, Ud, 0, Rn);
    if (beta !== null) gemm(false, true, n, n, 1, FS(j + 2), beta, 1, Rn);
    gemm(false, true, n, n, n, R, W, 1, Rn);
    R = Rn;
    if (j < J) SW = horner(SW, R, n);
  }
  let Sb: Float64Array | null = null;
  if (beta !== null) {
    Sb = new Float64Array(n);
    for (let j = K - 1; j >= 0; j--) Sb = horner(Sb, FS(j + 1), 1);
  }
  const g = leaky ? eta * a : eta; // W, U, b enter through aW, aU, ab
  const scale = (x: Float64Array, r: number, cl: number, f: number): Mat => mat(r, cl, x.map((v) => f * v));
  const out = { dW: scale(SW, n, n, g), dU: scale(SU, n, nIn, g), dV: scale(dV, nOut, F, eta) };
  return Sb === null ? out : { ...out, db: Sb.map((v) => g * v) };
}

function transposeData(V: Mat): Float64Array {
  const t = new Float64Array(V.rows * V.cols);
  for (let o = 0; o < V.rows; o++) for (let j = 0; j < V.cols; j++) t[j * V.rows + o] = V.data[o * V.cols + j]!;
  return t;
}

function feedback(B: Mat | undefined, n: number, nOut: number, where: string): Float64Array {
  if (B === undefined) throw new InputError('B', `${where}: B (the N×O feedback matrix) is required for this rule`);
  if (B.rows !== n || B.cols !== nOut) throw new ShapeError('B', `${where}: B is ${B.rows}×${B.cols}, expected N×O = ${n}×${nOut}`);
  return B.data;
}

/** Complex GEMM shorthand: C = alpha·op(A)·op(B) + beta·C. */
function zg(tA: 'N' | 'C', tB: 'N' | 'C', m: number, n: number, k: number, a: CMat, b: CMat, beta: number, c: CMat, alpha = 1): void {
  defaultBackend().blas.zgemm(tA, tB, m, n, k, alpha, a.re, a.im, b.re, b.im, beta, c.re, c.im);
}

function cm(r: number, c: number): CMat {
  return { rows: r, cols: c, re: new Float64Array(r * c), im: new Float64Array(r * c) };
}

function sumSq(m: CMat): number {
  let s = 0;
  for (let i = 0; i < m.re.length; i++) s += m.re[i]! * m.re[i]! + m.im[i]! * m.im[i]!;
  return s;
}

/**
 * Solution X of the Stein equation X = A X Aᴴ + Q (A n×n, Q n×n Hermitian PSD; real or complex), by the
 * doubling iteration. Throws InputError (field `field`) when the series does not converge (ρ(A) ≥ 1).
 */
export function steinSolve(A: AnyMat, Q: AnyMat, field = 'A'): CMat {
  checkMatShape('steinSolve', field, A);
  checkMatShape('steinSolve', 'Q', Q);
  if (A.rows !== A.cols) throw new ShapeError(field, `steinSolve: A is ${A.rows}×${A.cols}, expected square`);
  if (Q.rows !== A.rows || Q.cols !== A.rows) throw new ShapeError('Q', `steinSolve: Q is ${Q.rows}×${Q.cols}, expected ${A.rows}×${A.rows}`);
  const n = A.rows;
  let Ak = toComplex(A), X = toComplex(Q);
  Ak = { rows: n, cols: n, re: Float64Array.from(Ak.re), im: Float64Array.from(Ak.im) };
  X = { rows: n, cols: n, re: Float64Array.from(X.re), im: Float64Array.from(X.im) };
  const tmp = cm(n, n);
  for (let it = 0; it < 100; it++) {
    const a2 = sumSq(Ak);
    if (a2 <= 1e-17) return X;
    if (!Number.isFinite(a2) || a2 > 1e300) break;
    // X ← X + Ak X Akᴴ ; Ak ← Ak²
    zg('N', 'N', n, n, n, Ak, X, 0, tmp);
    zg('N', 'C', n, n, n, tmp, Ak, 1, X);
    const A2 = cm(n, n);
    zg('N', 'N', n, n, n, Ak, Ak, 0, A2);
    Ak = A2;
    if (!Number.isFinite(sumSq(X))) break;
  }
  throw new InputError(field, `steinSolve: the series Σ A^k Q Aᴴ^k does not converge: the spectral radius of ${field} must be < 1`);
}

/** Message of an expected loss that overflows the double range. */
const OVERFLOW = 'the expected loss overflowed (not finite): the entries of W, U, V and teacher.W, teacher.U, teacher.V are too large ' +
  '(or their spectral radii, for a long T)';

function rho(m: AnyMat): number {
  let values;
  try {
    values = eig(m).values;
  } catch (e) {
    if (e instanceof NumericalError) return Infinity; // an eigenvalue overflowed: the radius is beyond any bound
    throw e;
  }
  const { re, im } = values;
  let r = 0;
  for (let k = 0; k < re.length; k++) r = Math.max(r, Math.hypot(re[k]!, im[k]!));
  return r;
}

/**
 * Expected loss under white-noise inputs for student `params` and `teacher` (real or complex matrices):
 * finite T: ½ Σ_t w_t ‖μ_t‖² + ½ Σ_{k<T} c_k ‖E_k‖_F² with the weights of the loss (module header; without bias
 * and constant feature μ = 0); T = 'inf' (terminal or sequence-mean, which share the limit): the Stein-equation
 * form. The 4th argument is the loss name (default 'terminal') or options {loss, leakRate, readoutFeatures}; the
 * student may carry a bias `params.b` (length N, real or complex), as in {@link expectedUpdate}.
 * 'sequence-sum' with T = 'inf' is infinite and refused; so are spectral radii ≥ 1 (of W* and of the student's
 * (1−a)I + aW) with T = 'inf'. A finite T is an integer in [1, 100000] (cost O(T·N³)); longer horizons are the
 * 'inf' limit to rounding for stable networks.
 */
export function expectedLoss(params: ExpectedParams, teacher: RnnParams, T: number | 'inf', loss: LossKind | ExpectedLossOptions = 'terminal'): number {
  const where = 'expected-loss';
  const o: ExpectedLossOptions = isPlainObject(loss) ? loss : { loss: loss as LossKind };
  const full = readFull(where, params, o, true);
  checkTeacher(where, teacher);
  const { n, nt, nIn, nOut } = checkPair(where, params, teacher, full.F);
  const lossKind = checkLoss(o.loss ?? 'terminal', where);
  const a = full.a, leaky = a !== 1, F = full.F;
  const W0 = toComplex(params.W), U0 = toComplex(params.U), V0 = toComplex(params.V);
  // effective recursion A = (1−a)I + aW, Ũ = aU, β = a b; readout blocks V_h, V_x, v_1
  const W: CMat = leaky ? { rows: n, cols: n, re: leakMatrix(W0.re, n, a), im: W0.im.map((v) => a * v) } : W0;
  const U: CMat = leaky ? { rows: n, cols: nIn, re: U0.re.map((v) => a * v), im: U0.im.map((v) => a * v) } : U0;
  const V = F === n ? V0 : cColumns(V0, 0, n);
  const Vx = full.features === 'state' ? null : cColumns(V0, n, nIn);
  const v1 = full.features === 'state+input+bias' ? cColumns(V0, n + nIn, 1) : null;
  const b = full.b;
  const beta: CMat | null = b === undefined ? null : b instanceof Float64Array
    ? { rows: n, cols: 1, re: b.map((v) => a * v), im: new Float64Array(n) }
    : { rows: n, cols: 1, re: b.re.map((v) => a * v), im: b.im.map((v) => a * v) };
  const Ws = toComplex(teacher.W), Us = toComplex(teacher.U), Vs = toComplex(teacher.V);
  const det = beta !== null || v1 !== null;
  if (T === 'inf') {
    if (lossKind === 'sequence-sum') throw new InputError('loss', `${where}: loss = "sequence-sum" with T = "inf" is infinite; use "terminal" or "sequence-mean"`);
    const m = n + nt;
    const A = cm(m, m), G = cm(m, nIn), C = cm(nOut, m);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { A.re[i * m + j] = W.re[i * n + j]!; A.im[i * m + j] = W.im[i * n + j]!; }
    for (let i = 0; i < nt; i++) for (let j = 0; j < nt; j++) { A.re[(n + i) * m + n + j] = Ws.re[i * nt + j]!; A.im[(n + i) * m + n + j] = Ws.im[i * nt + j]!; }
    G.re.set(U.re); G.im.set(U.im); G.re.set(Us.re, n * nIn); G.im.set(Us.im, n * nIn);
    for (let o = 0; o < nOut; o++) {
      for (let j = 0; j < n; j++) { C.re[o * m + j] = V.re[o * n + j]!; C.im[o * m + j] = V.im[o * n + j]!; }
      for (let j = 0; j < nt; j++) { C.re[o * m + n + j] = -Vs.re[o * nt + j]!; C.im[o * m + n + j] = -Vs.im[o * nt + j]!; }
    }
    const Q = cm(m, m);
    zg('N', 'C', m, m, nIn, G, G, 0, Q);
    let X: CMat;
    try {
      X = steinSolve(A, Q, 'W');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      const r = rho(leaky ? W : params.W), rs = rho(teacher.W);
      const what = leaky ? `ρ((1−a)I + aW) = ${r.toPrecision(6)} (leakRate a = ${a})` : `ρ(W) = ${r.toPrecision(6)}`;
      throw new InputError(r >= rs ? 'W' : 'teacher.W', `${where}: T = "inf" needs spectral radii below 1 (the loss series diverges): ${what}, ρ(teacher.W) = ${rs.toPrecision(6)}`);
    }
    const CX = cm(nOut, m), CXC = cm(nOut, nOut);
    zg('N', 'N', nOut, m, m, C, X, 0, CX);
    zg('N', 'C', nOut, nOut, m, CX, C, 0, CXC);
    let tr = 0;
    for (let o = 0; o < nOut; o++) tr += CXC.re[o * nOut + o]!;
    let total = 0.5 * tr;
    if (Vx !== null) { // E‖Cξ + V_x x‖² adds 2 Re tr(C G V_xᴴ) + ‖V_x‖² to tr(C X Cᴴ)
      const CG = cm(nOut, nIn);
      zg('N', 'N', nOut, nIn, m, C, G, 0, CG);
      let cross = 0;
      for (let i = 0; i < CG.re.length; i++) cross += CG.re[i]! * Vx.re[i]! + CG.im[i]! * Vx.im[i]!;
      total += cross + 0.5 * sumSq(Vx);
    }
    if (det) {
      const ml = meanLossLimit(W, beta, V, v1);
      if (ml === null) throw new InputError('W', `${where}: T = "inf": the mean state Σ_k A^k a·b diverges: ρ(A) = ${rho(W).toPrecision(6)} must be below 1`);
      total += ml;
    }
    if (!Number.isFinite(total)) throw new NumericalError(`${where}: ${OVERFLOW}`);
    return total;
  }
  checkT(where, T);
  const c = lagWeights(lossKind, T);
  let Mk: CMat = { rows: n, cols: nIn, re: Float64Array.from(U.re), im: Float64Array.from(U.im) };
  let Ms: CMat = { rows: nt, cols: nIn, re: Float64Array.from(Us.re), im: Float64Array.from(Us.im) };
  const Ek = cm(nOut, nIn);
  let total = 0;
  for (let k = 0; k < T; k++) {
    zg('N', 'N', nOut, nIn, nt, Vs, Ms, 0, Ek);
    zg('N', 'N', nOut, nIn, n, V, Mk, 1, Ek, -1);
    if (k === 0 && Vx !== null) for (let i = 0; i < Ek.re.length; i++) { Ek.re[i]! -= Vx.re[i]!; Ek.im[i]! -= Vx.im[i]!; }
    total += 0.5 * c[k]! * sumSq(Ek);
    if (k + 1 < T) {
      const a = cm(n, nIn), b = cm(nt, nIn);
      zg('N', 'N', n, nIn, n, W, Mk, 0, a);
      zg('N', 'N', nt, nIn, nt, Ws, Ms, 0, b);
      Mk = a;
      Ms = b;
    }
  }
  if (det) total += meanLossFinite(W, beta, V, v1, T, lossKind);
  if (!Number.isFinite(total)) throw new NumericalError(`${where}: ${OVERFLOW}`);
  return total;
}
