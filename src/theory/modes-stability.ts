// Fixed points and linear stability of the single-mode dynamics (docs/theory/modes.md §4–5): analytic Jacobian, manifold eigenvalues, rates.
//
// The T = "inf" field is ẇ = P_w X(w, a), u̇ = P_u Y(w, a), v̇ = u G(w, a), a = uv (modes.ts header). The chain rule
// through a = uv gives, with ∂_w and ∂_a the partials of X, Y, G:
//   row ẇ: [P_w X_w,  ∂_u P_w X + P_w X_a v,  ∂_v P_w X + P_w X_a u]
//   row u̇: [P_u Y_w,  ∂_u P_u Y + P_u Y_a v,  ∂_v P_u Y + P_u Y_a u]
//   row v̇: [u G_w,    G + u G_a v,             u² G_a]
// On a line of fixed points the characteristic polynomial is λ(λ² + pλ + q) with p = −tr J and q the sum of the
// principal 2×2 minors of J (the constant term −det J vanishes); λ± = (−p ± √(p² − 4q))/2.
import { InputError, describeValue } from '../core/errors.js';
import { mat } from '../core/types.js';
import { eig } from '../linalg/eig.js';
import { checkInfDomain, checkModeState, resolveModeRule, truncSums, type ModeRule, type ModeState, type ResolvedModeRule } from './modes.js';

/** A 3×3 real Jacobian (row-major Float64Array(9)) evaluator of a fixed rule and teacher: unchecked, allocation-free. */
export type ModeJacobianField = (y: ArrayLike<number>, out: Float64Array) => void;

/**
 * Analytic Jacobian ∂η(ẇ, u̇, v̇)/∂(w, u, v) of the T = "inf" mode field of `rule` for teacher (w*, u*, v*) (validated
 * once; calls are unchecked and allocation-free, NaN for |w| ≥ 1). Row i holds the partials of component i.
 */
export function modeJacobianField(rule: ModeRule, teacher: ModeState, eta = 1): ModeJacobianField {
  const where = 'modeJacobian';
  const R = resolveModeRule(rule, where);
  const t = checkModeState(where, 'teacher', teacher);
  if (typeof eta !== 'number' || !Number.isFinite(eta)) throw new InputError('eta', `${where}: eta = ${describeValue(eta)}: must be a finite number`);
  if (!(Math.abs(t[0]!) < 1)) throw new InputError('teacher[0]', `${where}: teacher[0] = w* = ${t[0]}: the T = "inf" field needs |w*| < 1`);
  return jacobianOf(R, t[0]!, t[1]! * t[2]!, eta);
}

function jacobianOf(R: ResolvedModeRule, ws: number, as: number, eta: number): ModeJacobianField {
  const s = new Float64Array(8);
  const bpttLike = R.kind === 'bptt-like', eprop = !bpttLike && Number.isNaN(R.alpha);
  const tau = R.tau, al = R.alpha, b = R.b;
  return (y, out) => {
    const w = y[0]!, u = y[1]!, v = y[2]!, a = u * v;
    if (!(w < 1 && w > -1)) { out.fill(NaN); return; }
    const rs = 1 / (1 - w * ws), rq = 1 / (1 - w * w);
    const G = as * rs - a * rq, Gw = as * ws * rs * rs - 2 * a * w * rq * rq, Ga = -rq;
    let X: number, Xw: number, Xa: number, Y: number, Yw: number, Ya: number;
    if (bpttLike) {
      truncSums(w * ws, tau, s, 0); // ψ*, ψ*', φ*, φ*' at q* = ww*
      truncSums(w * w, tau, s, 4); // ψ, ψ', φ, φ' at q = w²
      X = as * ws * s[2]! - a * w * s[6]!;
      Xw = as * ws * ws * s[3]! - a * (s[6]! + 2 * w * w * s[7]!);
      Xa = -w * s[6]!;
      Y = as * s[0]! - a * s[4]!;
      Yw = as * ws * s[1]! - 2 * a * w * s[5]!;
      Ya = -s[4]!;
    } else if (eprop) { // decay α = w: X = a*w*/(1−ww*)² − aw/(1−w²)², Y = G
      X = as * ws * rs * rs - a * w * rq * rq;
      Xw = 2 * as * ws * ws * rs * rs * rs - a * (1 + 3 * w * w) * rq * rq * rq;
      Xa = -w * rq * rq;
      Y = G; Yw = Gw; Ya = Ga;
    } else { // fixed decay α: X = a*w*/((1−ww*)(1−αw*)) − aw/((1−w²)(1−αw)), Y = a*/(1−αw*) − a/(1−αw)
      const ras = 1 / (1 - al * ws), ra = 1 / (1 - al * w);
      X = as * ws * rs * ras - a * w * rq * ra;
      // d/dw [w/((1−w²)(1−αw))] = (1 + w² − 2αw³)/((1−w²)(1−αw))²
      Xw = as * ws * ws * rs * rs * ras - a * (1 + w * w - 2 * al * w * w * w) * rq * rq * ra * ra;
      Xa = -w * rq * ra;
      Y = as * ras - a * ra;
      Yw = -a * al * ra * ra;
      Ya = -ra;
    }
    // prefactors P_w, P_u and their u, v partials
    let Pw: number, Pwu: number, Pwv: number, Pu: number, Puu: number, Puv: number;
    if (bpttLike) { Pw = a; Pwu = v; Pwv = u; Pu = v; Puu = 0; Puv = 1; } else { Pw = b * u; Pwu = b; Pwv = 0; Pu = b; Puu = 0; Puv = 0; }
    out[0] = eta * Pw * Xw; out[1] = eta * (Pwu * X + Pw * Xa * v); out[2] = eta * (Pwv * X + Pw * Xa * u);
    out[3] = eta * Pu * Yw; out[4] = eta * (Puu * Y + Pu * Ya * v); out[5] = eta * (Puv * Y + Pu * Ya * u);
    out[6] = eta * u * Gw; out[7] = eta * (G + u * Ga * v); out[8] = eta * u * u * Ga;
  };
}

/**
 * Analytic Jacobian (3×3, row-major Float64Array(9), written into `out` when given) of η·(ẇ, u̇, v̇) for T = "inf" at
 * student (w, u, v); needs |w|, |w*| < 1 (InputError naming student[0] / teacher[0]).
 */
export function modeJacobian(rule: ModeRule, student: ModeState, teacher: ModeState, eta = 1, out: Float64Array = new Float64Array(9)): Float64Array {
  const s = checkModeState('modeJacobian', 'student', student);
  if (!(out instanceof Float64Array) || out.length !== 9) throw new InputError('out', `modeJacobian: out = ${describeValue(out)}: must be a Float64Array(9)`);
  const f = modeJacobianField(rule, teacher, eta);
  checkInfDomain('modeJacobian', s, teacher);
  f(s, out);
  return out;
}

/** Eigenvalues {re, im} (length 3, sorted by decreasing real part, then imaginary part) of a 3×3 row-major Jacobian. */
export function jacobianEigenvalues(J: Float64Array): { re: Float64Array; im: Float64Array } {
  if (!(J instanceof Float64Array) || J.length !== 9) throw new InputError('J', `jacobianEigenvalues: J = ${describeValue(J)}: must be a Float64Array(9) (3×3 row-major)`);
  const v = eig(mat(3, 3, Float64Array.from(J))).values;
  const idx = [0, 1, 2].sort((i, j) => v.re[j]! - v.re[i]! || v.im[j]! - v.im[i]!);
  return { re: Float64Array.from(idx, (i) => v.re[i]!), im: Float64Array.from(idx, (i) => v.im[i]!) };
}

/** A point of a fixed-point manifold: the optimal hyperbola by σ = v, or the non-optimal line u = v = 0 by w. */
export type ModeManifold = { readonly kind: 'optimal'; readonly sigma: number } | { readonly kind: 'nonoptimal'; readonly w: number };

/** Linearisation at a manifold point (docs/theory/modes.md §5). */
export interface ManifoldEigen {
  /** The point (w, u, v). */
  readonly point: Float64Array;
  /** The three eigenvalues: λ+ = (−p + √(p² − 4q))/2, λ− = (−p − √(p² − 4q))/2, then the zero one (tangent direction). */
  readonly eigenvalues: { readonly re: Float64Array; readonly im: Float64Array };
  /** Coefficients of λ(λ² + pλ + q): p = −tr J, q = sum of the principal 2×2 minors of J. */
  readonly p: number;
  readonly q: number;
  /** −max Re λ± (1/time; positive: the manifold attracts at this point, larger is faster). */
  readonly convergenceRate: number;
}

/** Point (w*, a* / σ, σ) of the optimal manifold (σ ≠ 0) or (w, 0, 0) of the non-optimal line. */
export function manifoldPoint(teacher: ModeState, manifold: ModeManifold, where = 'manifoldPoint'): Float64Array {
  const t = checkModeState(where, 'teacher', teacher);
  if (manifold === null || typeof manifold !== 'object') throw new InputError('manifold', `${where}: manifold = ${describeValue(manifold)}: must be {kind: "optimal", sigma} or {kind: "nonoptimal", w}`);
  const as = t[1]! * t[2]!;
  if (manifold.kind === 'optimal') {
    const s = manifold.sigma;
    if (typeof s !== 'number' || !Number.isFinite(s) || s === 0) throw new InputError('sigma', `${where}: sigma = ${describeValue(s)}: must be a finite nonzero number (v on the optimal manifold)`);
    if (as === 0) throw new InputError('teacher', `${where}: teacher gain u*·v* = 0: the optimal manifold needs a* ≠ 0`);
    return Float64Array.of(t[0]!, as / s, s);
  }
  if (manifold.kind === 'nonoptimal') {
    const w = manifold.w;
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new InputError('w', `${where}: w = ${describeValue(w)}: must be a finite number`);
    return Float64Array.of(w, 0, 0);
  }
  throw new InputError('manifold', `${where}: manifold.kind = ${describeValue((manifold as { kind?: unknown }).kind)}: must be "optimal" or "nonoptimal"`);
}

/** λ± of λ² + pλ + q into re/im at index 0 (the + root) and 1. */
function quadRoots(p: number, q: number, re: Float64Array, im: Float64Array): void {
  const disc = p * p - 4 * q;
  if (disc >= 0) {
    // stable form: the larger-magnitude root first, the other from the product q
    const r = Math.sqrt(disc), big = p >= 0 ? (-p - r) / 2 : (-p + r) / 2, small = big !== 0 ? q / big : 0;
    const hi = Math.max(big, small), lo = Math.min(big, small);
    re[0] = hi; re[1] = lo; im[0] = 0; im[1] = 0;
  } else {
    const r = Math.sqrt(-disc) / 2;
    re[0] = -p / 2; re[1] = -p / 2; im[0] = r; im[1] = -r;
  }
}

/** p = −tr J and q = sum of the principal 2×2 minors of a 3×3 row-major J. */
export function jacobianPQ(J: ArrayLike<number>): { p: number; q: number } {
  const p = -(J[0]! + J[4]! + J[8]!);
  const q = J[0]! * J[4]! - J[1]! * J[3]! + J[0]! * J[8]! - J[2]! * J[6]! + J[4]! * J[8]! - J[5]! * J[7]!;
  return { p, q };
}

/**
 * A fast evaluator of manifold eigenvalues for one rule and teacher: (σ or w, out) → writes [re λ+, re λ−, im λ+,
 * im λ−, p, q, rate] into out[0..6]. Validated once, allocation-free per call.
 */
export function manifoldEigenField(rule: ModeRule, teacher: ModeState, kind: 'optimal' | 'nonoptimal', eta = 1): (x: number, out: Float64Array) => void {
  const where = 'manifoldEigenvalues';
  const R = resolveModeRule(rule, where);
  const t = checkModeState(where, 'teacher', teacher);
  if (!(Math.abs(t[0]!) < 1)) throw new InputError('teacher[0]', `${where}: teacher[0] = w* = ${t[0]}: the T = "inf" field needs |w*| < 1`);
  if (kind === 'nonoptimal' && R.kind !== 'bptt-like') {
    throw new InputError('manifold', `${where}: manifold = "nonoptimal": rule "${R.rule.name}" has no fixed points on u = v = 0 (only BPTT and tBPTT do; docs/theory/modes.md §4)`);
  }
  const ws = t[0]!, as = t[1]! * t[2]!;
  if (kind === 'optimal' && as === 0) throw new InputError('teacher', `${where}: teacher gain u*·v* = 0: the optimal manifold needs a* ≠ 0`);
  const jf = jacobianOf(R, ws, as, eta), J = new Float64Array(9), y = new Float64Array(3), re = new Float64Array(2), im = new Float64Array(2);
  return (x, out) => {
    if (kind === 'optimal') { y[0] = ws; y[1] = as / x; y[2] = x; } else { y[0] = x; y[1] = 0; y[2] = 0; }
    jf(y, J);
    const p = -(J[0]! + J[4]! + J[8]!);
    const q = J[0]! * J[4]! - J[1]! * J[3]! + J[0]! * J[8]! - J[2]! * J[6]! + J[4]! * J[8]! - J[5]! * J[7]!;
    quadRoots(p, q, re, im);
    out[0] = re[0]!; out[1] = re[1]!; out[2] = im[0]!; out[3] = im[1]!; out[4] = p; out[5] = q; out[6] = -re[0]!;
  };
}

/**
 * Eigenvalues of the T = "inf" Jacobian at a point of a fixed-point manifold of `rule` (docs/theory/modes.md §5):
 * `{kind: "optimal", sigma}` is (w*, a* / σ, σ) (every rule), `{kind: "nonoptimal", w}` is (w, 0, 0) (BPTT and tBPTT
 * only; needs |w| < 1). Answers the point, λ+, λ−, 0, the coefficients p, q and the convergence rate −max Re λ±.
 */
export function manifoldEigenvalues(rule: ModeRule, teacher: ModeState, manifold: ModeManifold, eta = 1): ManifoldEigen {
  const where = 'manifoldEigenvalues';
  const point = manifoldPoint(teacher, manifold, where);
  const f = manifoldEigenField(rule, teacher, manifold.kind, eta);
  if (!(Math.abs(point[0]!) < 1)) throw new InputError('w', `${where}: w = ${point[0]}: the T = "inf" field needs |w| < 1`);
  const o = new Float64Array(7);
  f(manifold.kind === 'optimal' ? manifold.sigma : manifold.w, o);
  return {
    point,
    eigenvalues: { re: Float64Array.of(o[0]!, o[1]!, 0), im: Float64Array.of(o[2]!, o[3]!, 0) },
    p: o[4]!, q: o[5]!, convergenceRate: o[6]!,
  };
}

/**
 * Closed-form p and q at (w*, a* / σ, σ) on the optimal manifold (docs/theory/modes.md §5.2) for BPTT, one-step tBPTT and
 * RFLO (η = 1); c = 1/(1 − w*²), d = 1/(1 − αw*). An independent check of the Jacobian route.
 */
export function optimalPQ(rule: ModeRule, teacher: ModeState, sigma: number): { p: number; q: number } {
  const where = 'optimalPQ';
  const R = resolveModeRule(rule, where);
  const pt = manifoldPoint(teacher, { kind: 'optimal', sigma }, where);
  const ws = pt[0]!, u = pt[1]!, v = pt[2]!, as = u * v, c = 1 / (1 - ws * ws);
  if (R.rule.name === 'bptt') return { p: as * as * c ** 3 * (1 + ws * ws) + c * (u * u + v * v), q: as * as * c ** 4 * (u * u + v * v) };
  if (R.rule.name === 'tbptt' && R.tau === 1) return { p: as * as * c * c + v * v + c * u * u, q: as * as * c * c * (u * u + v * v) };
  if (R.rule.name === 'rflo') {
    const al = R.alpha, b = R.b, d = 1 / (1 - al * ws);
    return { p: b * u * as * c * d * (c + al * ws * d) + b * v * d + c * u * u, q: b * as * u * c * c * d * d * (u * u + b * v) };
  }
  throw new InputError('rule', `${where}: rule = ${describeValue(R.rule)}: closed forms exist for "bptt", "tbptt" with tau = 1 and "rflo"`);
}
