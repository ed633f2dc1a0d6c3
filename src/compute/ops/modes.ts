// Compute ops of the single-mode learning theory: mode-rhs, mode-jacobian, manifold-eigenvalues, integrate-mode (docs/theory/modes.md).
import { InputError, describeValue } from '../../core/errors.js';
import { MAX_MODE_T, MODE_RULE_NAMES, checkInfDomain, modeField, modeRhs, type ModeHorizon, type ModeRule, type ModeRuleName } from '../../theory/modes.js';
import { jacobianEigenvalues, manifoldEigenvalues, modeJacobian } from '../../theory/modes-stability.js';
import { integrateMode } from '../../theory/modes-integrate.js';
import { MAX_DERIVED_NUMBERS, encodeVec, type Req, withoutPrefix } from '../codec.js';
import type { ComputeOp } from '../op.js';

/** Library call prefixes the op name already says (the runner prefixes "<op>: "). */
const WHERE = /^(modeRhs|modeField|modeJacobian|manifoldEigenvalues|manifoldPoint|integrateMode|integrateOde|mode): /;

const clean = <T>(f: () => T): T => withoutPrefix(WHERE, f);

/** Parameters each rule reads; the others are accepted and ignored (one request template serves every rule). */
const USES: Record<ModeRuleName, readonly string[]> = { bptt: [], tbptt: ['tau'], rflo: ['alpha', 'b'], 'random-diagonal': ['d', 'b'], eprop: ['b'] };

function readRule(req: Req): ModeRule {
  const name = req.oneOf('rule', MODE_RULE_NAMES);
  for (const f of ['tau', 'alpha', 'b', 'd']) if (!USES[name].includes(f)) req.raw(f);
  switch (name) {
    case 'bptt': return { name };
    case 'tbptt': return { name, tau: req.num('tau', { integer: true, min: 1 }) };
    case 'rflo': return { name, alpha: req.num('alpha', { min: 0, maxExclusive: 1 }), b: req.num('b') };
    case 'random-diagonal': return { name, d: req.num('d', { min: 0, maxExclusive: 1 }), b: req.num('b') };
    case 'eprop': return { name, b: req.num('b') };
  }
}

function readHorizon(req: Req): ModeHorizon {
  const v = req.raw('T');
  if (v === undefined || v === null || v === 'inf') return 'inf';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > MAX_MODE_T) {
    throw new InputError('T', `T = ${describeValue(v)}: must be an integer in [1, ${MAX_MODE_T}] or "inf" (the default)`);
  }
  return v;
}

/** Throws when a computed answer overflowed (naming the inputs that can cause it). */
function finiteOr(values: ArrayLike<number>, what: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new InputError('student', `${what} is not finite (${values[i]}): the computation overflowed; student, teacher or the rule parameters (b, alpha, d, tau) are too large, or T is (w^T overflows for |w| > 1)`);
    }
  }
}

const RULE_HELP = `  rule      "bptt", "tbptt", "rflo", "random-diagonal" or "eprop" (RTRL's mode dynamics are BPTT's)
  tau       tbptt only: truncation τ, integer ≥ 1
  alpha     rflo only: eligibility decay α in [0, 1)
  d         random-diagonal only: the unit's decay in [0, 1)
  b         rflo, random-diagonal, eprop: the mode's feedback scalar (the diagonal entry of the aligned B);
            e-prop's trace decay is the current w (no parameter); with b = v e-prop is BPTT
  Parameters of other rules are accepted and ignored, so one request template serves every rule.`;

const STATE_HELP = `  student   [w, u, v]: the mode's recurrent, input and output weights
  teacher   [w*, u*, v*]: the teacher mode`;

const modeRhsOp: ComputeOp = {
  name: 'mode-rhs',
  summary: 'vector field η·(ẇ, u̇, v̇) of one decoupled mode of a data-aligned linear RNN (expected update of one step)',
  help: `mode-rhs — the learning dynamics of one mode (docs/theory/modes.md §1–2): the expected update of one step of
the rule on the terminal loss under white-noise inputs, restricted to a mode, rhs = η·(ẇ, u̇, v̇). With eta = 1 (the
default) this is the right-hand side of the learning ODE (ODE time = η × number of updates).
Request:
${RULE_HELP}
${STATE_HELP}
  T         sequence length: an integer in [1, ${MAX_MODE_T}] (the exact finite sums over lags k < T, valid for any w)
            or "inf" (default: the closed forms, which need |w| < 1 and |w*| < 1)
  eta       learning rate η (default 1), a finite number
Answer:
  rhs       [dw, du, dv] = η·(ẇ, u̇, v̇)`,
  run(req) {
    const rule = readRule(req);
    const student = req.realVec('student', 3), teacher = req.realVec('teacher', 3);
    const T = readHorizon(req);
    const eta = req.num('eta', { default: 1 });
    req.assertNoUnknown();
    const r = clean(() => modeRhs(rule, student, teacher, T, eta));
    finiteOr(r, 'rhs');
    return { rhs: encodeVec(r) };
  },
};

/** Central-difference Jacobian of a finite-T field, h = 1e-6·max(1, |y_j|). */
function fdJacobian(rule: ModeRule, y: Float64Array, teacher: Float64Array, T: number, eta: number): Float64Array {
  const f = modeField(rule, teacher, T, eta), J = new Float64Array(9), a = new Float64Array(3), b = new Float64Array(3);
  for (let j = 0; j < 3; j++) {
    const h = 1e-6 * Math.max(1, Math.abs(y[j]!));
    const p = Float64Array.from(y), m = Float64Array.from(y);
    p[j]! += h; m[j]! -= h;
    f(p, a); f(m, b);
    for (let i = 0; i < 3; i++) J[i * 3 + j] = (a[i]! - b[i]!) / (2 * h);
  }
  return J;
}

const modeJacobianOp: ComputeOp = {
  name: 'mode-jacobian',
  summary: 'Jacobian ∂η(ẇ, u̇, v̇)/∂(w, u, v) (3×3) of the mode field at any point, and its eigenvalues',
  help: `mode-jacobian — the linearisation of the mode field of mode-rhs at any point (docs/theory/modes.md §5).
Request: as mode-rhs:
${RULE_HELP}
${STATE_HELP}
  T         "inf" (default): the analytic Jacobian of the closed forms (needs |w|, |w*| < 1);
            an integer in [1, ${MAX_MODE_T}]: central differences of the finite sums with h = 1e-6·max(1, |y_j|)
            (about 8 correct digits)
  eta       learning rate η (default 1): the Jacobian scales with it
Answer:
  jacobian     3×3, row i holds the partials of component i of (dw, du, dv) with respect to (w, u, v)
  eigenvalues  complex {"re": [...], "im": [...]}, length 3, sorted by decreasing real part, then imaginary part`,
  run(req) {
    const rule = readRule(req);
    const student = req.realVec('student', 3), teacher = req.realVec('teacher', 3);
    const T = readHorizon(req);
    const eta = req.num('eta', { default: 1 });
    req.assertNoUnknown();
    const J = clean(() => {
      if (T === 'inf') return modeJacobian(rule, student, teacher, eta);
      modeRhs(rule, student, teacher, T, eta); // validates
      return fdJacobian(rule, student, teacher, T, eta);
    });
    finiteOr(J, 'jacobian');
    const ev = jacobianEigenvalues(J);
    return { jacobian: [0, 1, 2].map((i) => encodeVec(J.subarray(3 * i, 3 * i + 3))), eigenvalues: { re: encodeVec(ev.re), im: encodeVec(ev.im) } };
  },
};

const manifoldOp: ComputeOp = {
  name: 'manifold-eigenvalues',
  summary: 'eigenvalues and convergence rate of the mode dynamics at a point of a fixed-point manifold',
  help: `manifold-eigenvalues — the linearisation (T = "inf" closed forms, η = 1) at a fixed point of the mode dynamics
(docs/theory/modes.md §4–5).
Request:
${RULE_HELP}
  teacher   [w*, u*, v*] with |w*| < 1
  manifold  "optimal": the hyperbola w = w*, uv = u*v* (every rule), at the point (w*, u*v*/σ, σ) given by
              sigma     σ = v, a finite nonzero number (needs u*v* ≠ 0)
            "nonoptimal": the line u = v = 0 (BPTT and tBPTT only; other rules have no fixed point there), at (w, 0, 0)
              w         |w| < 1
            (sigma is refused with "nonoptimal" and w with "optimal".)
Answer:
  point            [w, u, v]
  eigenvalues      complex {"re": [...], "im": [...]}, length 3: λ+ = (−p + √(p² − 4q))/2, λ− = (−p − √(p² − 4q))/2, then
                   0 (the direction along the manifold), from the characteristic polynomial λ(λ² + pλ + q) of the analytic
                   Jacobian J
  p, q             p = −tr J, q = the sum of the principal 2×2 minors of J (stable iff p > 0 and q > 0)
  convergenceRate  −max Re λ± (1/time units of the ODE): positive when the point attracts; larger is faster`,
  run(req) {
    const rule = readRule(req);
    const teacher = req.realVec('teacher', 3);
    const kind = req.oneOf('manifold', ['optimal', 'nonoptimal'] as const);
    const other = kind === 'optimal' ? 'w' : 'sigma';
    if (req.has(other)) throw new InputError(other, `${other} = ${describeValue(req.raw(other))}: only read with manifold "${other === 'w' ? 'nonoptimal' : 'optimal'}"`);
    req.raw(other);
    const x = kind === 'optimal' ? req.num('sigma') : req.num('w', { minExclusive: -1, maxExclusive: 1 });
    req.assertNoUnknown();
    const r = clean(() => manifoldEigenvalues(rule, teacher, kind === 'optimal' ? { kind, sigma: x } : { kind, w: x }));
    finiteOr([...r.point, ...r.eigenvalues.re, ...r.eigenvalues.im, r.p, r.q], 'the linearisation');
    return {
      point: encodeVec(r.point), eigenvalues: { re: encodeVec(r.eigenvalues.re), im: encodeVec(r.eigenvalues.im) },
      p: r.p, q: r.q, convergenceRate: r.convergenceRate,
    };
  },
};

/** Largest number of fixed RK4 steps (and of dopri5 steps) of one integrate-mode request. */
const MAX_STEPS = 10_000_000;
/** Largest steps × T of a finite-T request (each field evaluation sums T lags). */
const MAX_STEP_LAGS = 25_000_000;
/**
 * Step budget of dopri5: 10^5 steps (accepted + rejected), and at most MAX_STEP_LAGS lag terms in all for finite T
 * (7 evaluations per step). Explicit methods are stability-limited near the fixed points (the step settles where
 * h·|λ| ≈ 3.3 for the fastest eigenvalue λ), so the steps grow with tEnd; the budget bounds a request's time.
 */
const MAX_DOPRI_STEPS = 100_000;
function dopriSteps(T: ModeHorizon): number {
  return T === 'inf' ? MAX_DOPRI_STEPS : Math.max(1, Math.min(MAX_DOPRI_STEPS, Math.floor(MAX_STEP_LAGS / (7 * T))));
}

const integrateOp: ComputeOp = {
  name: 'integrate-mode',
  summary: 'trajectory of the mode learning ODE (RK4 or Dormand–Prince) from a start point, with stop conditions',
  help: `integrate-mode — integrates (ẇ, u̇, v̇) of mode-rhs (η = 1; ODE time t = η × number of updates) from t = 0 to
tEnd (docs/theory/modes.md §6).
Request:
${RULE_HELP}
  student   [w, u, v] at t = 0
  teacher   [w*, u*, v*]
  tEnd      end time, > 0
  T         as mode-rhs: "inf" (default) or an integer (finite sums; steps × T ≤ ${MAX_STEP_LAGS})
  method    "rk4" (default: classical Runge–Kutta, fixed step dt, the last step shortened to end at tEnd) or "dopri5"
            (Dormand–Prince 5(4) with step control: a step is accepted when the RMS over (w, u, v) of
            error/(atol + rtol·|y|) is ≤ 1)
  dt        rk4: the step, default 1e-2 (tEnd/dt ≤ ${MAX_STEPS} steps); dopri5: the first trial step (default estimated)
  saveEvery save every k-th step (rk4) or accepted step (dopri5), integer ≥ 1, default 1; t = 0 and the final point
            are always saved (saved numbers ≤ 2^24)
  rtol      dopri5 only, default 1e-8;  atol  dopri5 only, default 1e-10 (ignored by rk4)
  lossTol   stop once the mode loss (docs/theory/expected.md §5.3, same T) is below lossTol; default 0 (never)
Stops (checked at every step end): "|w| >= 1" (T = "inf": the closed forms are undefined there; also when an inner
stage leaves |w| < 1, keeping the last state inside), "loss < lossTol", "non-finite state" (overflow, finite T),
"maxSteps" (dopri5 after ${MAX_DOPRI_STEPS} steps, or ⌊${MAX_STEP_LAGS}/(7T)⌋ for finite T: explicit steps stay
near 3.3/|λ_max| close to a fixed point, so long spans need many), "step size underflow" (dopri5).
Answer:
  t         saved times
  states    [[w, u, v], ...], one row per saved time
  stopped   the stop reason (the last t is when it happened), or null when tEnd was reached`,
  run(req) {
    const rule = readRule(req);
    const student = req.realVec('student', 3), teacher = req.realVec('teacher', 3);
    const tEnd = req.num('tEnd', { minExclusive: 0 });
    const T = readHorizon(req);
    const method = req.oneOf('method', ['rk4', 'dopri5'] as const, 'rk4');
    const dt = req.has('dt') || method === 'rk4' ? req.num('dt', { default: 1e-2, minExclusive: 0 }) : (req.raw('dt'), undefined);
    const saveEvery = req.num('saveEvery', { default: 1, min: 1, integer: true });
    const lossTol = req.num('lossTol', { default: 0, min: 0 });
    let rtol: number | undefined, atol: number | undefined;
    if (method === 'dopri5') {
      rtol = req.num('rtol', { default: 1e-8, min: 0 });
      atol = req.num('atol', { default: 1e-10, min: 0 });
      if (rtol === 0 && atol === 0) throw new InputError('rtol', 'rtol = 0 and atol = 0: at least one tolerance must be > 0');
    } else {
      req.raw('rtol'); req.raw('atol');
    }
    req.assertNoUnknown();
    const steps = method === 'rk4' ? Math.ceil(tEnd / dt!) : MAX_DOPRI_STEPS;
    if (method === 'rk4' && steps > MAX_STEPS) throw new InputError('tEnd', `tEnd/dt = ${tEnd}/${dt} = ${steps} steps: at most ${MAX_STEPS}; use a larger dt or method "dopri5"`);
    if (method === 'rk4' && 3 * (Math.min(steps, Math.ceil(steps / saveEvery)) + 2) > MAX_DERIVED_NUMBERS) {
      throw new InputError('saveEvery', `saveEvery = ${saveEvery} with ${steps} steps would save more than 2^24 numbers; use a larger saveEvery`);
    }
    if (T !== 'inf' && (method === 'rk4' ? steps : 1) * T > MAX_STEP_LAGS) {
      throw new InputError('T', `T = ${T} with ${steps} steps: steps × T must be ≤ ${MAX_STEP_LAGS} (each evaluation sums T lags); use T = "inf" or fewer steps`);
    }
    if (T === 'inf') clean(() => checkInfDomain('integrateMode', student, teacher));
    const r = clean(() => integrateMode(rule, student, teacher, tEnd, {
      T, method, saveEvery, lossTol,
      maxSteps: method === 'rk4' ? MAX_STEPS : dopriSteps(T),
      ...(dt !== undefined && { dt }), ...(rtol !== undefined && { rtol }), ...(atol !== undefined && { atol }),
    }));
    const n = r.t.length;
    return {
      t: encodeVec(r.t),
      states: Array.from({ length: n }, (_, k) => encodeVec(r.states.subarray(3 * k, 3 * k + 3))),
      stopped: r.stopped === null ? null : r.stopped.reason,
    };
  },
};

/** The mode-theory ops, in help order. */
export const modeOps: ComputeOp[] = [modeRhsOp, modeJacobianOp, manifoldOp, integrateOp];
