// Compute ops of the learning module: gradient, update, expected-update, expected-loss (JSON in, JSON out).
import { InputError, describeValue } from '../../core/errors.js';
import { toComplex, type AnyMat, type CVec, type Mat, type Vec } from '../../core/types.js';
import { lossAndGradient } from '../../learning/bptt.js';
import { EXPECTED_READOUT_FEATURES, expectedLoss, expectedUpdate, type ExpectedModelOptions, type ExpectedParams } from '../../theory/expected.js';
import { asBatch, networkOutputs } from '../../learning/losses.js';
import { computeUpdate } from '../../learning/rules.js';
import {
  LOSS_KINDS, READOUT_FEATURES, RULE_NAMES, type BlockUpdates, type Freeze, type LearningOptions, type LossKind, type RnnParams,
  type RuleName, type RuleSpec,
} from '../../learning/types.js';
import { anyComplex, checkSize, encodeAnyMat, encodeCVec, encodeVec, type Req, withoutPrefix } from '../codec.js';
import type { ComputeOp } from '../op.js';

/** Library call prefixes that the op name already says (the runner prefixes "<op>: "). */
const WHERE = /^(gradient|computeUpdate|expected-update|expected-loss|networkOutputs|rule|stream): /;

const clean = <T>(f: () => T): T => withoutPrefix(WHERE, f);

function readNet(req: Req): RnnParams {
  return { W: req.anyMat('W', { square: true }), U: req.anyMat('U'), V: req.anyMat('V') };
}

function readTeacher(req: Req): RnnParams {
  const t = req.sub('teacher');
  const p = { W: t.anyMat('W', { square: true }), U: t.anyMat('U'), V: t.anyMat('V') };
  t.assertNoUnknown();
  return p;
}

/** True when the JSON value is a flat array (or a complex value whose re part is flat). */
function isFlat(v: unknown): boolean {
  const a = typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>)['re'] : v;
  return Array.isArray(a) && (a.length === 0 || !Array.isArray(a[0]));
}

/** Optional initial state `h0` (flat, length N, real or complex); absent = 0. */
function readH0(req: Req, n: number): Float64Array | CVec | undefined {
  if (!req.has('h0')) { req.raw('h0'); return undefined; }
  return req.anyVec('h0', n);
}

/**
 * The network in complex arithmetic when any of the data is complex (x, target, teacher, h0) though W, U, V are
 * all real: the same convention as rollout/readout/rls (real inputs are promoted), docs/theory/networks.md §3.2.
 */
function promote(params: RnnParams, complexData: boolean): RnnParams {
  if (!complexData || anyComplex(params.W, params.U, params.V)) return params;
  return { W: toComplex(params.W), U: toComplex(params.U), V: toComplex(params.V) };
}

/** `activation` of the expected-value ops: the white-noise expectations are for the linear network only. */
function readLinearActivation(req: Req, op: string): void {
  const a = req.raw('activation');
  if (a !== undefined && a !== 'identity') {
    throw new InputError('activation', `activation = ${describeValue(a)}: ${op} is defined for the linear network only; allowed: "identity" (the default)`);
  }
}

/** Refuses requests whose working arrays would exhaust memory (codec.ts MAX_DERIVED_NUMBERS): states, RTRL sensitivities. */
function checkSizes(p: RnnParams, x: AnyMat, rule: RuleName, teacher?: RnnParams): void {
  const T = x.rows, n = p.W.rows;
  checkSize('x', T * n, `the states (T×N = ${T}×${n})`);
  checkSize('x', T * p.V.rows, `the outputs (T×O = ${T}×${p.V.rows})`);
  if (teacher !== undefined) checkSize('x', T * teacher.W.rows, `the teacher's states (T×N* = ${T}×${teacher.W.rows})`);
  // RTRL carries S^W (N·N²), S^U (N·N·I) and, with a trained bias, S^b (N·N)
  const nb = p.b !== undefined ? 1 : 0;
  if (rule === 'rtrl') checkSize('W', n * n * (n + p.U.cols + nb), `the RTRL sensitivities (N²·(N + I${nb ? ' + 1' : ''}), N = ${n}; "bptt" gives the same update)`);
}

/** True when every entry of a (real or complex) sequence batch is finite. */
function allFinite(b: ReturnType<typeof asBatch>): boolean {
  for (const a of 'data' in b ? [b.data] : [b.re, b.im]) for (let i = 0; i < a.length; i++) if (a[i]! - a[i]! !== 0) return false;
  return true;
}

function readX(req: Req): AnyMat {
  return req.anyMat('x', { flat: 'column' });
}

function readTarget(req: Req, loss: LossKind, nOut: number): AnyMat {
  const flat = isFlat(req.raw('target'));
  // terminal: a flat target is the O outputs at t = T (one row); sequence losses: flat only when O = 1 (a column)
  const m = req.anyMat('target', { flat: loss === 'terminal' ? 'row' : 'column' });
  if (flat && loss !== 'terminal' && nOut !== 1) {
    throw new InputError('target', `target is a flat array of length ${m.rows}: loss "${loss}" needs the T×O target sequence (O = ${nOut})`);
  }
  return m;
}

function readLoss(req: Req): LossKind {
  return req.oneOf('loss', LOSS_KINDS, 'terminal');
}

/** `freeze`: an array of block names among "W", "U", "V" (and "b" when `withBias`, the ops of the full model). */
function readFreeze(req: Req, withBias = false): Freeze | undefined {
  if (!req.has('freeze')) { req.raw('freeze'); return undefined; }
  const v = req.raw('freeze');
  if (!Array.isArray(v) || !v.every((b) => b === 'W' || b === 'U' || b === 'V' || (withBias && b === 'b'))) {
    throw new InputError('freeze', `freeze = ${describeValue(v)}: must be an array of block names from "W", "U", ${withBias ? '"b", ' : ''}"V"`);
  }
  return { W: v.includes('W'), U: v.includes('U'), V: v.includes('V'), ...(withBias && v.includes('b') && { b: true }) };
}

/**
 * Rule spec from the request: `rule` plus the parameters that rule uses. Parameters of OTHER rules are accepted
 * and ignored (documented in the help), so one request template can serve every rule; typos stay errors.
 */
function readRule(req: Req): RuleSpec {
  const name = req.oneOf('rule', RULE_NAMES) as RuleName;
  const uses: Record<RuleName, readonly string[]> = {
    bptt: [], rtrl: [], tbptt: ['tau'], rflo: ['alpha', 'B'], 'random-diagonal': ['D', 'B'], eprop: ['feedback', 'B'],
  };
  for (const f of ['tau', 'alpha', 'B', 'D', 'feedback']) if (!uses[name].includes(f)) req.raw(f);
  const B = (): Mat => {
    if (!req.has('B')) {
      req.raw('B');
      const how = name === 'eprop' ? ' with feedback "B" (the default; feedback "VT" uses Vᵀ and needs no B)' : '';
      throw new InputError('B', `B is required by rule "${name}"${how}: the N×O feedback matrix`);
    }
    return req.realMat('B');
  };
  switch (name) {
    case 'bptt': case 'rtrl': return { name };
    case 'tbptt': return { name, tau: req.num('tau', { integer: true, min: 1 }) };
    case 'rflo': return { name, alpha: req.num('alpha', { min: 0, maxExclusive: 1 }), B: B() };
    case 'random-diagonal': return { name, D: req.realVec('D'), B: B() };
    case 'eprop': {
      const feedback = req.oneOf('feedback', ['B', 'VT'] as const, 'B');
      if (feedback === 'VT') { req.raw('B'); return { name, feedback }; }
      return { name, feedback, B: B() };
    }
  }
}

/**
 * The full model of the gradient/update ops: W, U, V (O×F) and the optional `bias` (length N, real or complex), with
 * the options `leakRate` (default 1) and `readoutFeatures` (default "state"). Absent fields leave today's model.
 */
function readModel(req: Req): { params: RnnParams; model: Pick<LearningOptions, 'leakRate' | 'readoutFeatures'>; bias?: Vec | CVec } {
  const net = readNet(req);
  let bias: Vec | CVec | undefined;
  if (req.has('bias')) bias = req.anyVec('bias', net.W.rows);
  else req.raw('bias');
  const leakRate = req.num('leakRate', { default: 1, minExclusive: 0, max: 1 });
  const readoutFeatures = req.oneOf('readoutFeatures', READOUT_FEATURES, 'state');
  const model = { ...(leakRate !== 1 && { leakRate }), ...(readoutFeatures !== 'state' && { readoutFeatures }) };
  return { params: bias === undefined ? net : { ...net, b: bias }, model, ...(bias !== undefined && { bias }) };
}

/** {@link promote} for the full model: the bias is promoted with W, U, V. */
function promoteModel(params: RnnParams, complexData: boolean): RnnParams {
  const b = params.b as Vec | CVec | undefined;
  if (b === undefined) return promote(params, complexData);
  const complex = complexData || !(b instanceof Float64Array);
  const net = promote({ W: params.W, U: params.U, V: params.V }, complex);
  const bias = complex && b instanceof Float64Array ? { re: b, im: new Float64Array(b.length) } : b;
  return { ...net, b: bias } as RnnParams;
}

/** The answer blocks dW, dU, db (when the bias is trained), dV. */
function encodeModelBlocks(u: BlockUpdates): Record<string, unknown> {
  const out = encodeBlocks(u);
  const db = u.db as Vec | CVec | undefined;
  if (db === undefined) return out;
  const { dV, ...rest } = out;
  return { ...rest, db: db instanceof Float64Array ? encodeVec(db) : encodeCVec(db), ...(dV !== undefined && { dV }) };
}

function encodeBlocks(u: BlockUpdates): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ['dW', 'dU', 'dV'] as const) { const m = u[k]; if (m !== undefined) out[k] = encodeAnyMat(m); }
  return out;
}

function readT(req: Req, allowInf: boolean): number | 'inf' {
  const v = req.raw('T');
  if (allowInf && v === 'inf') return 'inf';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new InputError('T', `T = ${describeValue(v)}: must be an integer >= 1${allowInf ? ' or "inf"' : ''}`);
  }
  return v;
}

const MODEL = 'Model: h_0 = 0 (or `h0`), h_t = act(W h_{t−1} + U x_t), y_t = V h_t; W N×N, U N×I, V O×N as nested row-major arrays, ' +
  'complex as {"re": [[...]], "im": [[...]]} (any complex block makes the network complex). Losses with e_t = y*_t − y_t: ' +
  '"terminal" ½‖e_T‖² (default), "sequence-mean" (1/T) Σ_t ½‖e_t‖², "sequence-sum" Σ_t ½‖e_t‖² (complex: |e|²).';
const DATA = '`x`: the input sequence, T×I nested (a flat array = T steps of a 1-input network). `target`: for "terminal" a flat ' +
  'array of the O outputs at t = T (or the whole T×O sequence, of which the last row counts); for sequence losses the T×O ' +
  'sequence (a flat array only when O = 1). `activation`: "identity" (default) or "tanh" (real networks only). ' +
  '`freeze` (optional): array of blocks among "W", "U", "V" to leave out (their answers are omitted).';
const FULL = 'Full model (optional fields): h_t = (1−a)·h_{t−1} + a·act(W h_{t−1} + U x_t + b), y_t = V z_t. `leakRate` a in (0, 1] ' +
  '(default 1); `bias` b, a flat array of length N (real or complex; when given it is trained, answer `db`, unless frozen; ' +
  'give zeros to learn a bias from zero); `readoutFeatures` "state" (default, z_t = h_t), "state+input" (z_t = [h_t; x_t]) or ' +
  '"state+input+bias" (z_t = [h_t; x_t; 1]), and V then has N, N + I or N + I + 1 columns. `freeze` may also name "b". ' +
  'Eligibility rules with a < 1 decay their traces by (1−a) + a·d per unit (d their decay) and scale the new term by a.';
const H0 = '`h0` (optional): the initial state, a flat array of length N (real or complex; default 0). Complex data (x, target, ' +
  'teacher or h0) with a real W, U, V promotes the network to complex arithmetic, as in rollout.';
const RULES = 'Rules: "bptt" (exact, −η∇ℓ), "tbptt" (needs `tau`, integer ≥ 1; τ ≥ T is BPTT), "rtrl" (exact forward mode, equals bptt), ' +
  '"rflo" (needs `alpha` in [0, 1) and the feedback `B`, N×O), "random-diagonal" (needs `D`, the N decays in [0, 1) as a flat ' +
  'array, and `B`), "eprop" (decays diag(W); `feedback` "B" (default, needs `B`) or "VT" (uses Vᵀ, no `B`)). B is a random ' +
  'matrix the caller must supply (no default, for reproducible answers). Parameters of other rules (and B with eprop feedback "VT") are accepted and ignored, so one request template can serve every rule; unknown fields are errors. ' +
  'Eligibility rules (rflo, random-diagonal, eprop) are real-only; with tanh (where an op takes `activation`) their traces ' +
  'follow Murray 2019 (σ′(a_t) on the new term only). Sequence losses apply the rule at every t as if t were terminal and average (sum for "sequence-sum").';

/** `gradient`: loss and exact gradient by BPTT. */
const gradientOp: ComputeOp = {
  name: 'gradient',
  summary: 'loss and exact gradient ∂L/∂(W, U, V) of one sequence (BPTT; real, tanh or complex)',
  help: [
    'Request: W, U, V, x, target, loss, activation, freeze, h0, bias, leakRate, readoutFeatures.', MODEL, DATA, H0, FULL,
    'Answer: `loss` (the value of the loss), `dW`, `dU`, `db` (with `bias`), `dV` = ∂L/∂θ (real) or ∂L/∂Re θ + i ∂L/∂Im θ (complex, {"re", "im"}).',
  ].join('\n'),
  run(req) {
    const { params, model, bias } = readModel(req);
    const loss = readLoss(req);
    const x = readX(req);
    const target = readTarget(req, loss, params.V.rows);
    const activation = req.oneOf('activation', ['identity', 'tanh'] as const, 'identity');
    const freeze = readFreeze(req, true);
    const h0 = readH0(req, params.W.rows);
    req.assertNoUnknown();
    checkSizes(params, x, 'bptt');
    const net = promoteModel(params, anyComplex(x, target, h0, bias));
    const r = clean(() => lossAndGradient(net, asBatch(x), asBatch(target), { loss, activation, ...model, ...(freeze && { freeze }), ...(h0 && { h0 }) }));
    return { loss: r.loss, ...encodeModelBlocks(r.grads) };
  },
};

/** `update`: one rule's per-sequence update. */
const updateOp: ComputeOp = {
  name: 'update',
  summary: 'per-sequence update ΔW, ΔU, ΔV to ADD for a learning rule (bptt, tbptt, rtrl, rflo, random-diagonal, eprop)',
  help: [
    'Request: rule, W, U, V, x, target or teacher, loss, eta, activation, freeze, h0, bias, leakRate, readoutFeatures, and the rule ' +
    'parameters (tau; alpha; B; D; feedback).',
    MODEL, DATA, H0, FULL,
    '`teacher` {W, U, V} instead of `target`: the targets are the teacher\'s outputs on x (same activation and leak rate as the ' +
    'student, no bias, y_t = V* h_t, teacher started from 0; its size N* may differ from N); give one of the two.',
    '`eta`: learning rate, default 1 (must be > 0). ' + RULES,
    'Answer: `dW`, `dU`, `db` (with `bias`), `dV`: the update to ADD, θ ← θ + Δθ (BPTT: −η∇ℓ; complex in the ∂/∂Re + i ∂/∂Im ' +
    'convention), and `loss`, the loss before the update.',
  ].join('\n'),
  run(req) {
    const rule = readRule(req);
    const { params, model, bias } = readModel(req);
    const loss = readLoss(req);
    const x = readX(req);
    const activation = req.oneOf('activation', ['identity', 'tanh'] as const, 'identity');
    const hasT = req.has('target'), hasTeacher = req.has('teacher');
    if (hasT === hasTeacher) throw new InputError(hasT ? 'teacher' : 'target', hasT ? 'give either target or teacher, not both' : 'target is required (or give teacher {W, U, V})');
    const teacher = hasTeacher ? readTeacher(req) : undefined;
    const target = hasT ? readTarget(req, loss, params.V.rows) : undefined;
    const eta = req.num('eta', { default: 1, minExclusive: 0 });
    const freeze = readFreeze(req, true);
    const h0 = readH0(req, params.W.rows);
    req.assertNoUnknown();
    checkSizes(params, x, rule.name, teacher);
    const net = promoteModel(params, anyComplex(x, target, h0, bias, teacher?.W, teacher?.U, teacher?.V));
    const xb = asBatch(x);
    const teacherNet = teacher !== undefined ? promote(teacher, anyComplex(x)) : undefined;
    const leak = model.leakRate !== undefined ? { leakRate: model.leakRate } : {};
    const tb = target !== undefined ? asBatch(target) : clean(() => networkOutputs(teacherNet!, xb, { activation, ...leak }));
    if (target === undefined && !allFinite(tb)) {
      throw new InputError('teacher', 'teacher: its outputs on x overflowed (not finite): check the spectral radius of teacher.W and the size of x and teacher.U, teacher.V');
    }
    const u = clean(() => computeUpdate(rule, net, xb, tb, { loss, eta, activation, ...model, ...(freeze && { freeze }), ...(h0 && { h0 }) }));
    return { ...encodeModelBlocks(u), loss: u.loss };
  },
};

/**
 * The full student of the expected-value ops: optional `bias` (length N; real for expected-update, real or complex
 * for expected-loss), `leakRate` (default 1) and `readoutFeatures` (default "state"), as library params and options.
 */
function readExpectedModel(req: Req, params: RnnParams, complexBias: boolean): { params: ExpectedParams; model: ExpectedModelOptions } {
  const n = params.W.rows;
  const bias = !req.has('bias') ? (req.raw('bias'), undefined) : complexBias ? req.anyVec('bias', n) : req.realVec('bias', n);
  const leakRate = req.num('leakRate', { default: 1, minExclusive: 0, max: 1 });
  const readoutFeatures = req.oneOf('readoutFeatures', EXPECTED_READOUT_FEATURES, 'state');
  return { params: bias === undefined ? params : { ...params, b: bias }, model: { leakRate, readoutFeatures } };
}

const EXPECTED_MODEL = 'Student model: h_t = (1−a)·h_{t−1} + a·(W h_{t−1} + U x_t + b), y_t = V z_t, h_0 = 0, with `leakRate` a in (0, 1] ' +
  '(default 1), `bias` b (optional flat array of length N; absent = no bias) and `readoutFeatures` "state" (default, z_t = h_t, ' +
  'V O×N), "state+input" (z_t = [h_t; x_t], V O×(N+I)) or "state+input+bias" (z_t = [h_t; x_t; 1], V O×(N+I+1)). The effective ' +
  'recursion is A = (1−a)I + aW with input aU and drive a·b, so the error has a deterministic part (from the bias and the ' +
  'constant feature) and a zero-mean part (lags E_k = V*W*^kU* − V_h A^k aU − [k = 0] V_x, V_h and V_x the state and input ' +
  'columns of V). The teacher {W, U, V} is the plain linear network (no bias, no leak, state readout).';

/** `expected-update`: the white-noise expectation of a rule's update. */
const expectedUpdateOp: ComputeOp = {
  name: 'expected-update',
  summary: 'expected update E[ΔW, ΔU, ΔV] of a rule under white-noise inputs x_t ~ N(0, I), exact for finite T',
  help: [
    'Request: rule, W, U, V (real), bias (real), leakRate, readoutFeatures, teacher {W, U, V} (real; its size N* may differ from N), ' +
    'T (integer in [1, 100000], required; T·(O·I + 2·N·I) ≤ 2^25), ' +
    'loss (default "terminal"), eta (default 1, > 0), rule parameters as for `update`; `activation` may be given but only as ' +
    '"identity" (the expectations are for the linear network).',
    EXPECTED_MODEL,
    'Inputs are i.i.d. N(0, I) and targets the teacher outputs; formulas of docs/theory/expected.md §2 (plain model: E_k = V*W*^kU* − VW^kU), ' +
    'exact for finite T. Sequence losses average the terminal-at-t expectations over t = 1..T (sum for "sequence-sum"). ' + RULES +
    ' With leak, the eligibility traces decay by (1−a) + a·d (d = alpha, D or diag(W)) and take a·(new term); e-prop feedback "VT" uses V_hᵀ.',
    'Answer: `dW`, `dU`, `dV` (O×F) and, when `bias` is given, `db` (length N): the expected update to ADD (BPTT: −η∇ of the expected loss).',
  ].join('\n'),
  run(req) {
    const rule = readRule(req);
    const net = readNet(req);
    const { params, model } = readExpectedModel(req, net, false);
    const teacher = readTeacher(req);
    const T = readT(req, false) as number;
    const loss = readLoss(req);
    const eta = req.num('eta', { default: 1, minExclusive: 0 });
    readLinearActivation(req, 'expected-update');
    req.assertNoUnknown();
    const e = clean(() => expectedUpdate(rule, params, teacher, T, { loss, eta, ...model }));
    return { dW: encodeAnyMat(e.dW), dU: encodeAnyMat(e.dU), dV: encodeAnyMat(e.dV), ...(e.db && { db: encodeVec(e.db) }) };
  },
};

/** `expected-loss`: the white-noise expected loss, finite T or T = ∞ (Stein equation). */
const expectedLossOp: ComputeOp = {
  name: 'expected-loss',
  summary: 'expected loss under white-noise inputs: ½ Σ_{k<T} ‖E_k‖² (finite T) or the Stein-equation limit (T = "inf")',
  help: [
    'Request: W, U, V, bias (real or complex), leakRate, readoutFeatures, teacher {W, U, V} (real or complex), T (integer in [1, 100000] ' +
    'or "inf", required), loss (default "terminal"); `activation` may be given but only as "identity" (linear network).',
    EXPECTED_MODEL + ' The loss adds ½ Σ_t w_t ‖μ_t‖² (μ_t = −V_h m_t − v_1, m_t = A m_{t−1} + a·b the mean state, v_1 the constant ' +
    'column of V; w_t the loss weight of step t) to the lag sum below, with the lags E_k of the full model.',
    'Finite T: terminal ½ Σ_{k<T} ‖E_k‖_F², sequence-mean (1/T) Σ_k (T−k) ½‖E_k‖_F², sequence-sum Σ_k (T−k) ½‖E_k‖_F², ' +
    'E_k = V*W*^kU* − VW^kU. T = "inf" (terminal and sequence-mean share the limit): ½ tr(C X Cᴴ) with A = blockdiag(W, W*), ' +
    'C = [V, −V*], G = [U; U*], X = A X Aᴴ + G Gᴴ (doubling iteration); needs spectral radii of W and W* below 1, and ' +
    '"sequence-sum" with "inf" (infinite) is refused. Complex networks: the same formulas with |·|² (real N(0, I) or circular ' +
    'CN(0, I) inputs give the same value). With T = "inf" the full model needs ρ((1−a)I + aW) < 1; the mean part tends to ½‖μ_∞‖².',
    'Answer: `loss`.',
  ].join('\n'),
  run(req) {
    const net = readNet(req);
    const { params, model } = readExpectedModel(req, net, true);
    const teacher = readTeacher(req);
    const T = readT(req, true);
    const loss = readLoss(req);
    readLinearActivation(req, 'expected-loss');
    req.assertNoUnknown();
    return { loss: clean(() => expectedLoss(params, teacher, T, { loss, ...model })) };
  },
};

/** The learning compute ops, for the registry in src/compute/index.ts. */
export const learningOps: ComputeOp[] = [gradientOp, updateOp, expectedUpdateOp, expectedLossOp];
