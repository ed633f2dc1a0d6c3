// Single-mode learning dynamics (docs/theory/modes.md): the (w, u, v) vector field of each rule, finite T and T → ∞, and the mode loss.
//
// One decoupled mode of a data-aligned student has recurrent weight w, input weight u and output weight v; the
// teacher mode is (w*, u*, v*), gains a = uv, a* = u*v*, lag error ε_k = a* w*^k − a w^k. The expected update of
// one step, divided by η, is the ODE right-hand side (docs/theory/expected.md §5, docs/theory/modes.md §1–2):
//   finite T: exact sums over lags k < T (any w);  T = "inf": geometric closed forms (|w|, |w*|, |α|, |d| < 1).
// Every T = "inf" field has the shape
//   ẇ = P_w(u, v)·X(w, a),   u̇ = P_u(u, v)·Y(w, a),   v̇ = u·G(w, a),   G = a*/(1 − ww*) − a/(1 − w²),
// with P_w = uv, P_u = v for BPTT and tBPTT(τ) (and e-prop with feedback "v") and P_w = b·u, P_u = b for the
// eligibility family; X and Y are listed in docs/theory/modes.md §2. The analytic Jacobian (modes-stability.ts)
// differentiates exactly this factorisation.
import { InputError, describeValue } from '../core/errors.js';
import { isPlainObject } from '../core/guards.js';

/** Mode rule names (the learning rules that decouple into modes; RTRL is BPTT). */
export const MODE_RULE_NAMES = ['bptt', 'tbptt', 'rflo', 'random-diagonal', 'eprop'] as const;
export type ModeRuleName = (typeof MODE_RULE_NAMES)[number];

/**
 * A learning rule seen on one mode. tbptt: truncation τ (integer ≥ 1). rflo: eligibility decay α ∈ [0, 1) and the
 * mode's feedback scalar b. random-diagonal: the unit's decay d ∈ [0, 1) and b. eprop: feedback b, or
 * feedback "v" (the current output weight, e-prop with Vᵀ: then it equals BPTT); e-prop's trace decay is the
 * current w (no parameter).
 */
export type ModeRule =
  | { readonly name: 'bptt' }
  | { readonly name: 'tbptt'; readonly tau: number }
  | { readonly name: 'rflo'; readonly alpha: number; readonly b: number }
  | { readonly name: 'random-diagonal'; readonly d: number; readonly b: number }
  | { readonly name: 'eprop'; readonly b?: number; readonly feedback?: 'b' | 'v' };

/** A mode (w, u, v) as any array-like of 3 numbers (a Float64Array(3) on hot paths). */
export type ModeState = ArrayLike<number>;

/** Sequence length of the mode formulas: a positive integer or "inf" (the T → ∞ closed forms). */
export type ModeHorizon = number | 'inf';

/** Powers of w, w*, α below this are flushed to 0 in the finite-T sums (their terms are below rounding of any O(1e-270) sum). */
const TINY = 1e-290;

/** Largest finite T accepted (the finite sums cost O(T) per evaluation; use "inf" beyond). */
export const MAX_MODE_T = 10_000_000;

/** A validated rule in flat form: kind, τ (Infinity for BPTT), decay α (NaN when the decay is w), feedback b (NaN: v). */
export interface ResolvedModeRule {
  readonly kind: 'bptt-like' | 'eligibility';
  readonly tau: number;
  readonly alpha: number;
  readonly b: number;
  readonly rule: ModeRule;
}

function finite(where: string, field: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(field, `${where}: ${field} = ${describeValue(v)}: must be a finite number`);
  return v;
}

/** Validates a mode rule (InputError naming rule.<field>) and returns its flat form. */
export function resolveModeRule(rule: unknown, where = 'mode'): ResolvedModeRule {
  if (!isPlainObject(rule)) throw new InputError('rule', `${where}: rule = ${describeValue(rule)}: must be an object {name, ...}`);
  const name = rule['name'];
  if (typeof name !== 'string' || !(MODE_RULE_NAMES as readonly string[]).includes(name)) {
    throw new InputError('rule', `${where}: rule = ${describeValue(name)}: must be one of ${MODE_RULE_NAMES.map((n) => `"${n}"`).join(', ')}`);
  }
  const r = rule as unknown as ModeRule;
  const unit = (field: 'alpha' | 'd'): number => {
    const v = finite(where, field, (rule as Record<string, unknown>)[field]);
    if (v < 0 || v >= 1) throw new InputError(field, `${where}: ${field} = ${v}: must be in [0, 1)`);
    return v;
  };
  switch (r.name) {
    case 'bptt': return { kind: 'bptt-like', tau: Infinity, alpha: NaN, b: NaN, rule: r };
    case 'tbptt': {
      const tau = rule['tau'];
      if (typeof tau !== 'number' || !Number.isInteger(tau) || tau < 1) throw new InputError('tau', `${where}: tau = ${describeValue(tau)}: must be an integer >= 1`);
      return { kind: 'bptt-like', tau, alpha: NaN, b: NaN, rule: r };
    }
    case 'rflo': return { kind: 'eligibility', tau: Infinity, alpha: unit('alpha'), b: finite(where, 'b', rule['b']), rule: r };
    case 'random-diagonal': return { kind: 'eligibility', tau: Infinity, alpha: unit('d'), b: finite(where, 'b', rule['b']), rule: r };
    case 'eprop': {
      const fb = rule['feedback'] ?? 'b';
      if (fb !== 'b' && fb !== 'v') throw new InputError('feedback', `${where}: feedback = ${describeValue(fb)}: must be "b" (default) or "v"`);
      // e-prop with feedback v is BPTT exactly (docs/theory/modes.md §3.2)
      if (fb === 'v') return { kind: 'bptt-like', tau: Infinity, alpha: NaN, b: NaN, rule: r };
      return { kind: 'eligibility', tau: Infinity, alpha: NaN, b: finite(where, 'b', rule['b']), rule: r };
    }
  }
}

/** Validates a mode state (3 finite numbers); `field` names it in errors ("student", "teacher"). */
export function checkModeState(where: string, field: string, s: unknown): Float64Array {
  if (s === null || typeof s !== 'object' || typeof (s as { length?: unknown }).length !== 'number') {
    throw new InputError(field, `${where}: ${field} = ${describeValue(s)}: must be an array [w, u, v] of 3 numbers`);
  }
  const a = s as ArrayLike<unknown>;
  if (a.length !== 3) throw new InputError(field, `${where}: ${field} has length ${a.length}: must be [w, u, v] (3 numbers)`);
  const out = new Float64Array(3);
  for (let i = 0; i < 3; i++) {
    const v = a[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(`${field}[${i}]`, `${where}: ${field}[${i}] = ${describeValue(v)}: must be a finite number`);
    out[i] = v;
  }
  return out;
}

/** Validates T: an integer in [1, MAX_MODE_T] or "inf". */
export function checkModeHorizon(where: string, T: unknown): ModeHorizon {
  if (T === 'inf') return 'inf';
  if (typeof T !== 'number' || !Number.isInteger(T) || T < 1 || T > MAX_MODE_T) {
    throw new InputError('T', `${where}: T = ${describeValue(T)}: must be an integer in [1, ${MAX_MODE_T}] or "inf"`);
  }
  return T;
}

/** Throws unless the T = "inf" forms are defined: |w| < 1 (student[0]), |w*| < 1 (teacher[0]). */
export function checkInfDomain(where: string, s: ModeState, t: ModeState): void {
  if (!(Math.abs(s[0]!) < 1)) throw new InputError('student[0]', `${where}: student[0] = w = ${s[0]}: T = "inf" needs |w| < 1 (the lag sums diverge); use a finite T`);
  if (!(Math.abs(t[0]!) < 1)) throw new InputError('teacher[0]', `${where}: teacher[0] = w* = ${t[0]}: T = "inf" needs |w*| < 1 (the lag sums diverge); use a finite T`);
}

/**
 * ψ(q) = Σ_{k<τ} q^k = (1 − q^τ)/(1 − q) and φ(q) = Σ_{k≥1} min(k, τ) q^{k−1} = ψ(q)/(1 − q), |q| < 1, τ ≥ 1 or
 * Infinity (BPTT: ψ = 1/(1 − q), φ = 1/(1 − q)²). Writes [ψ, ψ', φ, φ'] into out[o..o+3].
 */
export function truncSums(q: number, tau: number, out: Float64Array, o: number): void {
  const r = 1 / (1 - q);
  if (tau === Infinity) {
    out[o] = r; out[o + 1] = r * r; out[o + 2] = r * r; out[o + 3] = 2 * r * r * r;
    return;
  }
  const qt1 = tau === 1 ? 1 : Math.pow(q, tau - 1), qt = qt1 * q;
  const psi = (1 - qt) * r;
  // ψ'(q) = Σ_{k=1}^{τ−1} k q^{k−1} = [1 − q^τ − τ q^{τ−1}(1 − q)]/(1 − q)²
  const dpsi = (1 - qt - tau * qt1 * (1 - q)) * r * r;
  out[o] = psi; out[o + 1] = dpsi; out[o + 2] = psi * r; out[o + 3] = dpsi * r + psi * r * r;
}

/**
 * A vector field f(y, out) of one mode for a fixed rule, teacher, T and η: writes η·(ẇ, u̇, v̇) at y = (w, u, v)
 * into out[0..2]. Validation happens when it is made; calls are allocation-free and unchecked (for T = "inf", a
 * state with |w| ≥ 1 gives NaN, so an integrator sees a non-finite state and stops).
 */
export type ModeField = (y: ArrayLike<number>, out: Float64Array) => void;

/**
 * The mode vector field of `rule` for teacher (w*, u*, v*), horizon T (integer ≥ 1 or "inf") and learning rate η
 * (default 1: the ODE right-hand side; otherwise the expected update of one step). Validated once; see ModeField.
 * Throws InputError for a bad rule, teacher, T, eta, or |w*| ≥ 1 with T = "inf".
 */
export function modeField(rule: ModeRule, teacher: ModeState, T: ModeHorizon = 'inf', eta = 1): ModeField {
  const where = 'modeField';
  const R = resolveModeRule(rule, where);
  const tch = checkModeState(where, 'teacher', teacher);
  const h = checkModeHorizon(where, T);
  finite(where, 'eta', eta);
  const ws = tch[0]!, as = tch[1]! * tch[2]!;
  if (h === 'inf') {
    if (!(Math.abs(ws) < 1)) throw new InputError('teacher[0]', `${where}: teacher[0] = w* = ${ws}: T = "inf" needs |w*| < 1 (the lag sums diverge); use a finite T`);
    return infField(R, ws, as, eta);
  }
  return finiteField(R, ws, as, h, eta);
}

function infField(R: ResolvedModeRule, ws: number, as: number, eta: number): ModeField {
  const b = R.b, tau = R.tau, alpha = R.alpha;
  if (R.kind === 'bptt-like') {
    if (tau === Infinity) {
      return (y, out) => {
        const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
        if (!(w < 1 && w > -1)) { out[0] = out[1] = out[2] = NaN; return; }
        const rs = 1 / (1 - w * ws), rq = 1 / (1 - w * w);
        const G = as * rs - a * rq;
        const X = as * ws * rs * rs - a * w * rq * rq;
        out[0] = eta * a * X; out[1] = eta * v * G; out[2] = eta * u * G;
      };
    }
    const s = new Float64Array(8);
    return (y, out) => {
      const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
      if (!(w < 1 && w > -1)) { out[0] = out[1] = out[2] = NaN; return; }
      truncSums(w * ws, tau, s, 0);
      truncSums(w * w, tau, s, 4);
      const G = as / (1 - w * ws) - a / (1 - w * w);
      const X = as * ws * s[2]! - a * w * s[6]!;
      const Y = as * s[0]! - a * s[4]!;
      out[0] = eta * a * X; out[1] = eta * v * Y; out[2] = eta * u * G;
    };
  }
  if (Number.isNaN(alpha)) { // e-prop: decay = w
    return (y, out) => {
      const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
      if (!(w < 1 && w > -1)) { out[0] = out[1] = out[2] = NaN; return; }
      const rs = 1 / (1 - w * ws), rq = 1 / (1 - w * w);
      const G = as * rs - a * rq;
      const X = as * ws * rs * rs - a * w * rq * rq;
      out[0] = eta * b * u * X; out[1] = eta * b * G; out[2] = eta * u * G;
    };
  }
  const ras = 1 / (1 - alpha * ws);
  return (y, out) => {
    const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
    if (!(w < 1 && w > -1)) { out[0] = out[1] = out[2] = NaN; return; }
    const rs = 1 / (1 - w * ws), rq = 1 / (1 - w * w), ra = 1 / (1 - alpha * w);
    const G = as * rs - a * rq;
    const X = as * ws * rs * ras - a * w * rq * ra;
    const Y = as * ras - a * ra;
    out[0] = eta * b * u * X; out[1] = eta * b * Y; out[2] = eta * u * G;
  };
}

/**
 * Finite-T sums (docs/theory/expected.md §5.1) in one pass over k: ε_k = a* w*^k − a w^k,
 * v̇ = Σ_{k<T} ε_k u w^k; BPTT-like ẇ = Σ_{k≥1} ε_k a min(k, τ) w^{k−1}, u̇ = Σ_{k<min(τ,T)} ε_k v w^k;
 * eligibility ẇ = Σ_{k≥1} ε_k b u S_k with S_k = Σ_{j<k} α^j w^{k−1−j} (S_{k+1} = w S_k + α^k), u̇ = Σ_k ε_k b α^k.
 */
function finiteField(R: ResolvedModeRule, ws: number, as: number, T: number, eta: number): ModeField {
  const b = R.b, tau = R.tau, alpha = R.alpha, bptt = R.kind === 'bptt-like';
  return (y, out) => {
    const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
    const al = Number.isNaN(alpha) ? w : alpha;
    let pw = 1, ps = 1, pa = 1, S = 0, pwm = 0; // w^k, w*^k, α^k, S_k, w^{k−1}
    let dv = 0, dw = 0, du = 0;
    for (let k = 0; k < T; k++) {
      const e = as * ps - a * pw;
      dv += e * pw;
      if (bptt) {
        if (k >= 1) dw += e * (k < tau ? k : tau) * pwm;
        if (k < tau) du += e * pw;
      } else {
        dw += e * S;
        du += e * pa;
        S = w * S + pa;
      }
      pwm = pw;
      pw *= w; ps *= ws; pa *= al;
      // Powers below 1e-290 are flushed to 0: their terms are below ~1e-280 of the O(1) ones, and subnormal
      // arithmetic is slow (a power of 0.7 even sticks at the smallest subnormal instead of reaching 0). Once every
      // power and the trace sum are 0, all later terms are 0: stop. A non-finite sum stays non-finite: stop as well.
      if (pw < TINY && pw > -TINY) pw = 0;
      if (ps < TINY && ps > -TINY) ps = 0;
      if (pa < TINY && pa > -TINY) pa = 0;
      if (S < TINY && S > -TINY) S = 0;
      if (pw === 0 && ps === 0 && pa === 0 && S === 0) break;
      if ((k & 1023) === 1023 && !Number.isFinite(dv + dw + du)) break;
    }
    if (bptt) { out[0] = eta * a * dw; out[1] = eta * v * du; } else { out[0] = eta * b * u * dw; out[1] = eta * b * du; }
    out[2] = eta * u * dv;
  };
}

/**
 * η·(ẇ, u̇, v̇) of one mode: the expected update of one step of `rule` at student (w, u, v) for teacher (w*, u*, v*),
 * sequence length T (integer ≥ 1: the exact sums, any w; "inf", default: the closed forms, which need |w| < 1 and
 * |w*| < 1), learning rate eta (default 1: the ODE right-hand side). Writes into `out` (a Float64Array(3),
 * allocated when omitted) and returns it. Validates every argument; for many evaluations use {@link modeField}.
 */
export function modeRhs(rule: ModeRule, student: ModeState, teacher: ModeState, T: ModeHorizon = 'inf', eta = 1,
  out: Float64Array = new Float64Array(3)): Float64Array {
  const where = 'modeRhs';
  const s = checkModeState(where, 'student', student);
  if (!(out instanceof Float64Array) || out.length !== 3) throw new InputError('out', `${where}: out = ${describeValue(out)}: must be a Float64Array(3)`);
  const f = modeField(rule, teacher, T, eta);
  if (T === 'inf') checkInfDomain(where, s, teacher);
  f(s, out);
  return out;
}

/**
 * Expected terminal loss of one mode (docs/theory/expected.md §5.3): T finite, ½ Σ_{k<T} (a w^k − a* w*^k)²;
 * T = "inf" (default), ½ [a²/(1 − w²) − 2aa* / (1 − ww*) + a*² / (1 − w*²)] (needs |w|, |w*| < 1).
 */
export function modeLoss(student: ModeState, teacher: ModeState, T: ModeHorizon = 'inf'): number {
  const where = 'modeLoss';
  const s = checkModeState(where, 'student', student), t = checkModeState(where, 'teacher', teacher);
  const h = checkModeHorizon(where, T);
  const w = s[0]!, a = s[1]! * s[2]!, ws = t[0]!, as = t[1]! * t[2]!;
  if (h === 'inf') {
    checkInfDomain(where, s, t);
    return modeLossInf(w, a, ws, as);
  }
  return modeLossFinite(w, a, ws, as, h);
}

/** Unchecked finite-T mode loss ½ Σ_{k<T} (a w^k − a* w*^k)² from w, a = uv, w*, a* (allocation-free). */
export function modeLossFinite(w: number, a: number, ws: number, as: number, T: number): number {
  let pw = 1, ps = 1, L = 0;
  for (let k = 0; k < T; k++) {
    const e = a * pw - as * ps;
    L += e * e;
    pw *= w; ps *= ws;
    if (pw < TINY && pw > -TINY) pw = 0; // flushed and stopped as in finiteField
    if (ps < TINY && ps > -TINY) ps = 0;
    if (pw === 0 && ps === 0) break;
  }
  return 0.5 * L;
}

/** Unchecked T = "inf" mode loss from w, a = uv, w*, a* (|w|, |w*| < 1). */
export function modeLossInf(w: number, a: number, ws: number, as: number): number {
  // a²/(1−w²) − 2aa*/(1−ww*) + a*²/(1−w*²) is a sum of squares ½Σ(a w^k − a* w*^k)²; written as is, it cancels
  // near the optimum, which only matters for losses far below the stop tolerances used here.
  return 0.5 * (a * a / (1 - w * w) - 2 * a * as / (1 - w * ws) + as * as / (1 - ws * ws));
}

/**
 * Coefficients of the T = "inf" field at fixed w, which is affine in a = uv inside each factor:
 * X = X0 − a·X1, Y = Y0 − a·Y1, G = G0 − a·G1 (modes.ts header), written into out[o..o+5] as [X0, X1, Y0, Y1, G0, G1].
 */
function rowCoefficients(R: ResolvedModeRule, ws: number, as: number, w: number, s: Float64Array, out: Float64Array): void {
  const rs = 1 / (1 - w * ws), rq = 1 / (1 - w * w);
  out[4] = as * rs; out[5] = rq;
  if (R.kind === 'bptt-like') {
    truncSums(w * ws, R.tau, s, 0);
    truncSums(w * w, R.tau, s, 4);
    out[0] = as * ws * s[2]!; out[1] = w * s[6]!; out[2] = as * s[0]!; out[3] = s[4]!;
  } else if (Number.isNaN(R.alpha)) {
    out[0] = as * ws * rs * rs; out[1] = w * rq * rq; out[2] = as * rs; out[3] = rq;
  } else {
    const ras = 1 / (1 - R.alpha * ws), ra = 1 / (1 - R.alpha * w);
    out[0] = as * ws * rs * ras; out[1] = w * rq * ra; out[2] = as * ras; out[3] = ra;
  }
}

/**
 * η·(ẇ, u̇, v̇) (T = "inf") on the grid w = wValues[i], u = uValues[j] at fixed v, written into out[3·(i·nu + j) + c]
 * (length 3·nw·nu; allocated when omitted). The w-dependent factors are computed once per row, so the cost per
 * point is a few multiplications. Rows with |w| ≥ 1 are NaN (the closed forms are undefined there); |w*| < 1 is required.
 */
export function modeFieldGrid(rule: ModeRule, teacher: ModeState, wValues: ArrayLike<number>, uValues: ArrayLike<number>, v: number,
  eta = 1, out?: Float64Array): Float64Array {
  const where = 'modeFieldGrid';
  const R = resolveModeRule(rule, where);
  const t = checkModeState(where, 'teacher', teacher);
  if (!(Math.abs(t[0]!) < 1)) throw new InputError('teacher[0]', `${where}: teacher[0] = w* = ${t[0]}: T = "inf" needs |w*| < 1`);
  for (const [f, a] of [['wValues', wValues], ['uValues', uValues]] as const) {
    if (a === null || typeof a !== 'object' || typeof a.length !== 'number') throw new InputError(f, `${where}: ${f} = ${describeValue(a)}: must be an array of numbers`);
    for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'number' || !Number.isFinite(a[i]!)) throw new InputError(`${f}[${i}]`, `${where}: ${f}[${i}] = ${describeValue(a[i])}: must be a finite number`);
  }
  finite(where, 'v', v);
  finite(where, 'eta', eta);
  const nw = wValues.length, nu = uValues.length;
  const o = out ?? new Float64Array(3 * nw * nu);
  if (!(o instanceof Float64Array) || o.length !== 3 * nw * nu) throw new InputError('out', `${where}: out has length ${describeValue(o?.length)}: expected 3·nw·nu = ${3 * nw * nu}`);
  const ws = t[0]!, as = t[1]! * t[2]!, c = new Float64Array(6), s = new Float64Array(8);
  const bptt = R.kind === 'bptt-like', eb = eta * R.b, ev = eta * v;
  for (let i = 0; i < nw; i++) {
    const w = wValues[i]!;
    let k = 3 * i * nu;
    if (!(w < 1 && w > -1)) { o.fill(NaN, k, k + 3 * nu); continue; }
    rowCoefficients(R, ws, as, w, s, c);
    const X0 = c[0]!, X1 = c[1]!, Y0 = c[2]!, Y1 = c[3]!, G0 = c[4]!, G1 = c[5]!;
    if (bptt) {
      for (let j = 0; j < nu; j++, k += 3) {
        const u = uValues[j]!, a = u * v;
        o[k] = eta * a * (X0 - a * X1); o[k + 1] = ev * (Y0 - a * Y1); o[k + 2] = eta * u * (G0 - a * G1);
      }
    } else {
      for (let j = 0; j < nu; j++, k += 3) {
        const u = uValues[j]!, a = u * v;
        o[k] = eb * u * (X0 - a * X1); o[k + 1] = eb * (Y0 - a * Y1); o[k + 2] = eta * u * (G0 - a * G1);
      }
    }
  }
  return o;
}
