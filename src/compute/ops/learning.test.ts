// Tests of the learning compute ops: every field, defaults, hand-computed answers, agreement with the library, errors naming fields.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { mat, toRows } from '../../core/types.js';
import { expectedLoss, expectedUpdate } from '../../theory/expected.js';
import { computeUpdate } from '../../learning/rules.js';
import { randomNetwork } from '../../theory/task.js';
import { runRequest } from '../op.js';
import { learningOps } from './learning.js';

const ops = new Map(learningOps.map((o) => [o.name, o]));
function run(req: Record<string, unknown>): Record<string, unknown> {
  const { result } = runRequest(ops, req);
  return result as Record<string, unknown>;
}
function err(req: Record<string, unknown>): string {
  const r = run(req);
  expect(r).toHaveProperty('error');
  return r['error'] as string;
}

// One unit: W = 0.5, U = 1, V = 2, x = (1, 0), terminal target 0: h = (1, 0.5), y_2 = 1, e = −1, loss ½.
// ∂L/∂V = (y − y*) h_2 = 0.5; δ_2 = V·1 = 2, δ_1 = W δ_2 = 1; ∂L/∂W = δ_2 h_1 + δ_1 h_0 = 2; ∂L/∂U = δ_2 x_2 + δ_1 x_1 = 1.
const tiny = { W: [[0.5]], U: [[1]], V: [[2]], x: [1, 0], target: [0] };

describe('gradient op', () => {
  it('hand-computed one-unit example with the defaults (terminal loss, identity, flat x and target)', () => {
    expect(run({ op: 'gradient', ...tiny })).toEqual({ loss: 0.5, dW: [[2]], dU: [[1]], dV: [[0.5]] });
  });
  it('sequence losses: flat target allowed for O = 1; sequence-sum = T × sequence-mean', () => {
    const a = run({ op: 'gradient', ...tiny, target: [0, 0], loss: 'sequence-sum' });
    const b = run({ op: 'gradient', ...tiny, target: [[0], [0]], loss: 'sequence-mean' });
    expect(a['loss']).toBe(2 * (b['loss'] as number));
    expect((a['dW'] as number[][])[0]![0]).toBeCloseTo(2 * (b['dW'] as number[][])[0]![0]!, 14);
  });
  it('complex network answers {re, im}; freeze omits blocks', () => {
    const r = run({ op: 'gradient', W: { re: [[0.5]], im: [[0.2]] }, U: [[1]], V: [[1]], x: [1, 0], target: [0], freeze: ['U'] });
    expect(r).toHaveProperty('dW.re');
    expect(r).toHaveProperty('dW.im');
    expect(r).not.toHaveProperty('dU');
  });
  it('errors name the field', () => {
    expect(err({ op: 'gradient', U: [[1]], V: [[2]], x: [1], target: [0] })).toMatch(/^gradient: W is required/);
    expect(err({ op: 'gradient', ...tiny, loss: 'mse' })).toMatch(/loss = "mse": must be one of/);
    expect(err({ op: 'gradient', ...tiny, lamda: 1 })).toMatch(/unknown field "lamda"/);
    expect(err({ op: 'gradient', ...tiny, activation: 'relu' })).toMatch(/activation = "relu"/);
    expect(err({ op: 'gradient', ...tiny, V: [[1, 1]] })).toMatch(/V is 1×2, expected 1 columns/);
    expect(err({ op: 'gradient', W: [[0.5]], U: [[1]], V: [[1], [1]], x: [1, 0], target: [0, 0], loss: 'sequence-mean' })).toMatch(/target is a flat array/);
    expect(err({ op: 'gradient', ...tiny, x: [[1, 2]] })).toMatch(/x has 2 input columns, expected I = 1/);
    expect(err({ op: 'gradient', ...tiny, freeze: ['X'] })).toMatch(/freeze = \["X"\]/);
  });
});

describe('update op', () => {
  const rng = createRng(3);
  const p = randomNetwork(rng.child('p'), { n: 3, nIn: 2, nOut: 2 });
  const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2 });
  const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
  const x = mat(5, 2, rng.child('x').fillNormal(new Float64Array(10)));
  const y = mat(5, 2, rng.child('y').fillNormal(new Float64Array(10)));
  const net = { W: toRows(p.W), U: toRows(p.U), V: toRows(p.V) };
  const batch = (m: typeof x): { batch: number; steps: number; dim: number; data: Float64Array } => ({ batch: 1, steps: m.rows, dim: m.cols, data: m.data });
  it('BPTT with eta: −η × the hand-computed gradient', () => {
    expect(run({ op: 'update', rule: 'bptt', ...tiny, eta: 0.1 })).toEqual({ dW: [[-0.2]], dU: [[-0.1]], dV: [[-0.05]], loss: 0.5 });
  });
  it('every rule agrees with computeUpdate (rule parameters passed through)', () => {
    const cases: Array<[Record<string, unknown>, Parameters<typeof computeUpdate>[0]]> = [
      [{ rule: 'tbptt', tau: 2 }, { name: 'tbptt', tau: 2 }],
      [{ rule: 'rtrl' }, { name: 'rtrl' }],
      [{ rule: 'rflo', alpha: 0.5, B: toRows(B) }, { name: 'rflo', alpha: 0.5, B }],
      [{ rule: 'random-diagonal', D: [0.1, 0.2, 0.3], B: toRows(B) }, { name: 'random-diagonal', D: Float64Array.of(0.1, 0.2, 0.3), B }],
      [{ rule: 'eprop', B: toRows(B) }, { name: 'eprop', B }],
      [{ rule: 'eprop', feedback: 'VT' }, { name: 'eprop', feedback: 'VT' }],
    ];
    for (const [req, spec] of cases) {
      const r = run({ op: 'update', ...req, ...net, x: toRows(x), target: toRows(y), loss: 'sequence-mean', eta: 0.3, activation: 'tanh' });
      const u = computeUpdate(spec, p, batch(x), batch(y), { loss: 'sequence-mean', eta: 0.3, activation: 'tanh' });
      expect(r['dW']).toEqual(toRows(u.dW as typeof x));
      expect(r['dU']).toEqual(toRows(u.dU as typeof x));
      expect(r['dV']).toEqual(toRows(u.dV as typeof x));
    }
  });
  it('teacher instead of target uses the teacher outputs as targets', () => {
    const a = run({ op: 'update', rule: 'bptt', ...net, x: toRows(x), teacher: { W: toRows(te.W), U: toRows(te.U), V: toRows(te.V) }, loss: 'sequence-sum' });
    // targets computed independently: h_t = W* h_{t−1} + U* x_t, y = V* h
    const tgt = mat(5, 2);
    let h = [0, 0];
    for (let t = 0; t < 5; t++) {
      h = [0, 1].map((i) => te.W.data[i * 2]! * h[0]! + te.W.data[i * 2 + 1]! * h[1]! + te.U.data[i * 2]! * x.data[t * 2]! + te.U.data[i * 2 + 1]! * x.data[t * 2 + 1]!);
      for (let o = 0; o < 2; o++) tgt.data[t * 2 + o] = te.V.data[o * 2]! * h[0]! + te.V.data[o * 2 + 1]! * h[1]!;
    }
    const b = run({ op: 'update', rule: 'bptt', ...net, x: toRows(x), target: toRows(tgt), loss: 'sequence-sum' });
    const d = (a['dW'] as number[][]).flat().map((v, i) => Math.abs(v - (b['dW'] as number[][]).flat()[i]!));
    expect(Math.max(...d)).toBeLessThan(1e-13);
  });
  it('parameters of other rules are accepted and ignored (one request template for every rule)', () => {
    const base = { op: 'update', ...net, x: toRows(x), target: toRows(y), tau: 2, alpha: 0.3, B: toRows(B), D: [0.1, 0.2, 0.3] };
    const plain = { op: 'update', ...net, x: toRows(x), target: toRows(y) };
    expect(run({ ...base, rule: 'bptt' })).toEqual(run({ ...plain, rule: 'bptt' }));
    expect(run({ ...base, rule: 'eprop', feedback: 'VT' })).toEqual(run({ ...plain, rule: 'eprop', feedback: 'VT' }));
    expect(run({ ...base, rule: 'tbptt' })).toEqual(run({ ...plain, rule: 'tbptt', tau: 2 }));
  });
  it('errors name the field', () => {
    const base = { op: 'update', ...net, x: toRows(x), target: toRows(y) };
    expect(err({ ...base })).toMatch(/^update: rule is required/);
    expect(err({ ...base, rule: 'rflo', alpha: 0.5 })).toMatch(/B is required/);
    expect(err({ ...base, rule: 'rflo', B: toRows(B) })).toMatch(/alpha is required/);
    expect(err({ ...base, rule: 'rflo', alpha: 1, B: toRows(B) })).toMatch(/alpha = 1: must be >= 0, < 1/);
    expect(err({ ...base, rule: 'bptt', taw: 3 })).toMatch(/unknown field "taw"/);
    expect(err({ ...base, rule: 'tbptt', tau: 0 })).toMatch(/tau = 0/);
    expect(err({ ...base, rule: 'random-diagonal', D: [0.1], B: toRows(B) })).toMatch(/D has length 1, expected N = 3/);
    expect(err({ ...base, rule: 'eprop', feedback: 'X' })).toMatch(/feedback = "X"/);
    expect(err({ ...base, rule: 'bptt', eta: 0 })).toMatch(/eta = 0: must be > 0/);
    expect(err({ op: 'update', rule: 'bptt', ...net, x: toRows(x) })).toMatch(/target is required/);
    expect(err({ ...base, rule: 'bptt', teacher: { W: [[1]], U: [[1, 1]], V: [[1], [1]] } })).toMatch(/either target or teacher/);
    expect(err({ op: 'update', rule: 'bptt', ...net, x: toRows(x), teacher: { W: [[1]], U: [[1, 1]], V: [[1], [1]], Z: 1 } })).toMatch(/teacher.*unknown field "Z"/);
    expect(err({ op: 'update', rule: 'rflo', alpha: 0.1, B: [[1]], W: { re: [[0.5]], im: [[0]] }, U: [[1]], V: [[1]], x: [1], target: [1] }))
      .toMatch(/complex networks support only/);
  });
});

describe('full-model fields of gradient and update: bias, leakRate, readoutFeatures', () => {
  // One unit, a = 0.5, b = 0.5, z_t = [h_t; x_t; 1], V = [2, 1, 1], x = (1, 0), terminal target 0 (all values dyadic, so exact):
  // pre_1 = 1.5, h_1 = 0.75; pre_2 = 0.875, h_2 = 0.8125; y_2 = 2·0.8125 + 0 + 1 = 2.625, loss ½·2.625² = 3.4453125.
  // Gy = 2.625: dV = Gy·[h_2, x_2, 1] = [2.1328125, 0, 2.625]; δ_2 = 2·Gy = 5.25, g_2 = a δ_2 = 2.625;
  // δ_1 = (1−a) δ_2 + W g_2 = 3.9375, g_1 = 1.96875; dW = g_2 h_1 = 1.96875, dU = g_1 x_1 = 1.96875, db = g_1 + g_2 = 4.59375.
  const full = { W: [[0.5]], U: [[1]], V: [[2, 1, 1]], bias: [0.5], leakRate: 0.5, readoutFeatures: 'state+input+bias', x: [1, 0], target: [0] };
  it('hand-computed one-unit example (gradient), and update = −η × it for bptt and rtrl', () => {
    expect(run({ op: 'gradient', ...full })).toEqual({ loss: 3.4453125, dW: [[1.96875]], dU: [[1.96875]], db: [4.59375], dV: [[2.1328125, 0, 2.625]] });
    for (const rule of ['bptt', 'rtrl']) {
      const u = run({ op: 'update', rule, eta: 0.5, ...full });
      expect(u['db']).toEqual([-2.296875]);
      expect(u['dV']).toEqual([[-1.06640625, -0, -1.3125]]);
      expect(u['loss']).toBe(3.4453125);
    }
  });
  it('freeze may name "b"; without bias there is no db; complex bias gives {re, im}', () => {
    const r = run({ op: 'gradient', ...full, freeze: ['b', 'U'] });
    expect(r).not.toHaveProperty('db');
    expect(r).not.toHaveProperty('dU');
    expect(r['dW']).toEqual([[1.96875]]);
    const { bias: _b, ...noBias } = full;
    expect(run({ op: 'gradient', ...noBias })).not.toHaveProperty('db');
    const c = run({ op: 'update', rule: 'bptt', ...full, bias: { re: [0.5], im: [0.25] } });
    expect(c).toHaveProperty('db.re');
    expect(c).toHaveProperty('db.im');
    expect(c).toHaveProperty('dW.im');
  });
  it('agrees with computeUpdate for every rule with bias, leak and state+input features', () => {
    const rng = createRng(9);
    const p = randomNetwork(rng.child('n'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.8 });
    const V = mat(2, 5, rng.child('V').fillNormal(new Float64Array(10), 0.5)), b = rng.child('b').fillNormal(new Float64Array(3), 0.3);
    const x = mat(6, 2, rng.child('x').fillNormal(new Float64Array(12))), y = mat(6, 2, rng.child('y').fillNormal(new Float64Array(12)));
    const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
    const opts = { loss: 'sequence-mean', leakRate: 0.7, readoutFeatures: 'state+input', activation: 'tanh' } as const;
    for (const rule of ['bptt', 'rtrl', 'rflo', 'eprop'] as const) {
      const spec = rule === 'rflo' ? { name: rule, alpha: 0.3, B } : rule === 'eprop' ? { name: rule, B } : { name: rule };
      const r = run({ op: 'update', rule, W: toRows(p.W), U: toRows(p.U), V: toRows(V), bias: Array.from(b), x: toRows(x), target: toRows(y),
        ...opts, ...(rule === 'rflo' && { alpha: 0.3 }), ...(rule !== 'bptt' && rule !== 'rtrl' && { B: toRows(B) }) });
      const want = computeUpdate(spec, { W: p.W, U: p.U, V, b }, { batch: 1, steps: 6, dim: 2, data: x.data }, { batch: 1, steps: 6, dim: 2, data: y.data }, opts);
      expect(r['db']).toEqual(Array.from(want.db as Float64Array));
      expect(r['dV']).toEqual(toRows(want.dV as typeof V));
    }
  });
  it('errors name the field', () => {
    expect(err({ op: 'gradient', ...full, bias: [1, 2] })).toMatch(/bias has length 2: expected 1/);
    expect(err({ op: 'gradient', ...full, leakRate: 0 })).toMatch(/leakRate = 0: must be > 0, <= 1/);
    expect(err({ op: 'update', rule: 'bptt', ...full, leakRate: 1.5 })).toMatch(/leakRate = 1.5/);
    expect(err({ op: 'gradient', ...full, readoutFeatures: 'input' })).toMatch(/readoutFeatures = "input": must be one of "state", "state\+input", "state\+input\+bias"/);
    expect(err({ op: 'gradient', ...full, readoutFeatures: 'state+input' })).toMatch(/V is 1×3, expected 2 columns \(N \+ I = 1 \+ 1 for readoutFeatures "state\+input"\)/);
    expect(err({ op: 'gradient', ...full, freeze: ['B'] })).toMatch(/freeze = \["B"\]: must be an array of block names from "W", "U", "b", "V"/);
  });
});

describe('expected-update and expected-loss ops', () => {
  const rng = createRng(4);
  const p = randomNetwork(rng.child('p'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.6 });
  const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.7 });
  const net = { W: toRows(p.W), U: toRows(p.U), V: toRows(p.V) };
  const teacher = { W: toRows(te.W), U: toRows(te.U), V: toRows(te.V) };
  it('expected-update equals the library for rflo with a sequence loss', () => {
    const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
    const r = run({ op: 'expected-update', rule: 'rflo', alpha: 0.3, B: toRows(B), ...net, teacher, T: 8, loss: 'sequence-mean', eta: 0.5 });
    const e = expectedUpdate({ name: 'rflo', alpha: 0.3, B }, p, te, 8, { loss: 'sequence-mean', eta: 0.5 });
    expect(r).toEqual({ dW: toRows(e.dW), dU: toRows(e.dU), dV: toRows(e.dV) });
  });
  it('expected-loss: finite T, "inf", sequence losses; the single-mode docs/theory/expected.md §5.4 reference', () => {
    expect(run({ op: 'expected-loss', ...net, teacher, T: 10 })).toEqual({ loss: expectedLoss(p, te, 10) });
    expect(run({ op: 'expected-loss', ...net, teacher, T: 'inf', loss: 'sequence-mean' })).toEqual({ loss: expectedLoss(p, te, 'inf') });
    const r = run({ op: 'expected-loss', W: [[0.4]], U: [[0.6]], V: [[-0.5]], teacher: { W: [[0.7]], U: [[1.2]], V: [[0.9]] }, T: 'inf' });
    expect(Math.abs((r['loss'] as number) - 1.6471008403361345)).toBeLessThan(1e-14);
    const c = run({ op: 'expected-loss', W: { re: [[0.4]], im: [[0.3]] }, U: [[1]], V: [[1]], teacher: { W: [[0.5]], U: [[1]], V: [[1]] }, T: 3 });
    expect(typeof c['loss']).toBe('number');
  });
  it('errors name the field', () => {
    expect(err({ op: 'expected-update', rule: 'bptt', ...net, teacher })).toMatch(/T = undefined: must be an integer >= 1$/);
    expect(err({ op: 'expected-update', rule: 'bptt', ...net, teacher, T: 'inf' })).toMatch(/T = "inf": must be an integer >= 1$/);
    expect(err({ op: 'expected-update', rule: 'bptt', ...net, teacher: { ...teacher, U: [[1, 2, 3], [1, 2, 3]] }, T: 3 })).toMatch(/teacher.U has 3 columns, U has 2/);
    expect(err({ op: 'expected-update', rule: 'bptt', ...net, teacher: { ...teacher, W: undefined }, T: 3 })).toMatch(/teacher.W is required/);
    expect(err({ op: 'expected-loss', ...net, teacher, T: 'inf', loss: 'sequence-sum' })).toMatch(/sequence-sum/);
    expect(err({ op: 'expected-loss', ...net, W: [[2, 0, 0], [0, 0, 0], [0, 0, 0]], teacher, T: 'inf' })).toMatch(/^expected-loss: T = "inf" needs spectral radii below 1.*ρ\(W\) = 2\.00000/);
    expect(err({ op: 'expected-loss', ...net, teacher, T: 2.5 })).toMatch(/T = 2.5: must be an integer >= 1 or "inf"/);
  });
  it('every op has help naming its request fields and defaults', () => {
    for (const o of learningOps) {
      expect(o.help).toMatch(/Request:/);
      expect(o.help).toMatch(/Answer:/);
    }
    expect(learningOps.map((o) => o.name)).toEqual(['gradient', 'update', 'expected-update', 'expected-loss']);
  });
});

describe('h0, promotion to complex, activation of the expected-value ops', () => {
  // h0 = 1 on the one-unit example: h = (0.5 + 1, 0.75), y_2 = 1.5, e = −1.5, loss 1.125; ∂L/∂V = 1.5·0.75;
  // δ_2 = 2·1.5 = 3, δ_1 = 0.5·3 = 1.5; ∂L/∂W = δ_2 h_1 + δ_1 h_0 = 4.5 + 1.5; ∂L/∂U = δ_2·0 + δ_1·1.
  it('gradient and update take h0 (hand-computed), and check its length', () => {
    expect(run({ op: 'gradient', ...tiny, h0: [1] })).toEqual({ loss: 1.125, dW: [[6]], dU: [[1.5]], dV: [[1.125]] });
    const u = run({ op: 'update', rule: 'rtrl', ...tiny, h0: [1], eta: 0.5 });
    expect(u).toEqual({ dW: [[-3]], dU: [[-0.75]], dV: [[-0.5625]], loss: 1.125 });
    expect(err({ op: 'gradient', ...tiny, h0: [1, 2] })).toMatch(/h0.*length 2.*1/);
  });

  it('complex data with a real network is computed as the complex network (as rollout does)', () => {
    const net = { W: [[0.5, 0.1], [-0.2, 0.3]], U: [[1], [0.5]], V: [[1, -1]] };
    const cnet = { W: { re: net.W, im: [[0, 0], [0, 0]] }, U: { re: net.U, im: [[0], [0]] }, V: { re: net.V, im: [[0, 0]] } };
    const x = { re: [[1], [2], [-1]], im: [[1], [0], [0.5]] };
    for (const loss of ['terminal', 'sequence-mean']) {
      const target = loss === 'terminal' ? [0.3] : [[0.3], [0.1], [-0.2]];
      const a = run({ op: 'gradient', ...net, x, target, loss }), b = run({ op: 'gradient', ...cnet, x, target, loss });
      expect(a).not.toHaveProperty('error');
      expect(a).toEqual(b);
      const u = run({ op: 'update', rule: 'bptt', ...net, x, target, loss }), v = run({ op: 'update', rule: 'bptt', ...cnet, x, target, loss });
      expect(u).toEqual(v);
    }
    // a complex teacher or a complex target promotes a real student with real x
    const teacher = { W: { re: [[0.4]], im: [[0.3]] }, U: [[1]], V: [[2]] };
    const xr = [[1], [2], [-1]];
    expect(run({ op: 'update', rule: 'bptt', ...net, x: xr, teacher })).toEqual(run({ op: 'update', rule: 'bptt', ...cnet, x: xr, teacher }));
    const ct = { re: [0.3], im: [-0.7] };
    expect(run({ op: 'gradient', ...net, x: xr, target: ct })).toEqual(run({ op: 'gradient', ...cnet, x: xr, target: ct }));
    // eligibility rules stay real-only, with a clear error
    expect(err({ op: 'update', rule: 'rflo', alpha: 0.5, B: [[1], [0]], ...net, x, target: [0.3] })).toMatch(/complex networks support only "bptt", "tbptt" and "rtrl"/);
  });

  it('expected-update and expected-loss accept activation "identity" and refuse "tanh" by name', () => {
    const base = { W: [[0.5]], U: [[1]], V: [[1]], teacher: { W: [[0.4]], U: [[1]], V: [[2]] }, T: 3 };
    expect(run({ op: 'expected-loss', ...base, activation: 'identity' })).toEqual(run({ op: 'expected-loss', ...base }));
    expect(run({ op: 'expected-update', rule: 'bptt', ...base, activation: 'identity' })).toEqual(run({ op: 'expected-update', rule: 'bptt', ...base }));
    expect(err({ op: 'expected-loss', ...base, activation: 'tanh' })).toBe('expected-loss: activation = "tanh": expected-loss is defined for the linear network only; allowed: "identity" (the default)');
    expect(err({ op: 'expected-update', rule: 'bptt', ...base, activation: 'tanh' })).toMatch(/^expected-update: activation = "tanh"/);
  });
});

describe('overflow', () => {
  it('an answer that overflows is an error naming the first non-finite field, not a silent null', () => {
    const x = Array.from({ length: 800 }, () => [1]);
    expect(err({ op: 'gradient', W: [[3]], U: [[1]], V: [[1]], x, target: [0] }))
      .toMatch(/^gradient: the answer is not finite \(loss = Infinity\): the computation overflowed/);
    expect(err({ op: 'update', rule: 'bptt', W: [[3]], U: [[1]], V: [[1]], x, target: [0] })).toMatch(/^update: the answer is not finite \(dW\[0\]\[0\] = (-?Infinity|NaN)\)/);
  });
});

describe('expected-update and expected-loss ops: the full student (bias, leakRate, readoutFeatures)', () => {
  const rng = createRng(14);
  const p = randomNetwork(rng.child('p'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.6 });
  const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.7 });
  const V6 = mat(2, 6, rng.child('V').fillNormal(new Float64Array(12)));
  const b = Float64Array.of(0.3, -0.2, 0.5);
  const net = { W: toRows(p.W), U: toRows(p.U), V: toRows(V6) };
  const teacher = { W: toRows(te.W), U: toRows(te.U), V: toRows(te.V) };
  const full = { bias: Array.from(b), leakRate: 0.6, readoutFeatures: 'state+input+bias' };
  it('expected-update equals the library for every rule family, with db; no bias → no db', () => {
    const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
    const lib = { W: p.W, U: p.U, V: V6, b };
    const o = { loss: 'sequence-sum' as const, eta: 0.5, leakRate: 0.6, readoutFeatures: 'state+input+bias' as const };
    for (const [req, spec] of [[{ rule: 'bptt' }, { name: 'bptt' }], [{ rule: 'tbptt', tau: 2 }, { name: 'tbptt', tau: 2 }],
      [{ rule: 'rflo', alpha: 0.3, B: toRows(B) }, { name: 'rflo', alpha: 0.3, B }], [{ rule: 'eprop', feedback: 'VT' }, { name: 'eprop', feedback: 'VT' }]] as const) {
      const r = run({ op: 'expected-update', ...req, ...net, ...full, teacher, T: 6, loss: 'sequence-sum', eta: 0.5 });
      const e = expectedUpdate(spec, lib, te, 6, o);
      expect(r).toEqual({ dW: toRows(e.dW), dU: toRows(e.dU), dV: toRows(e.dV), db: Array.from(e.db!) });
    }
    const { bias: _b, ...noBias } = full;
    const r = run({ op: 'expected-update', rule: 'bptt', ...net, ...noBias, teacher, T: 6 });
    expect(Object.keys(r).sort()).toEqual(['dU', 'dV', 'dW']);
    expect((r['dV'] as number[][])[0]!.length).toBe(6);
  });
  it('defaults (leakRate 1, readoutFeatures "state", no bias) give the same answers as omitting them', () => {
    const plain = { W: toRows(p.W), U: toRows(p.U), V: toRows(p.V) };
    const a = run({ op: 'expected-update', rule: 'random-diagonal', D: [0.1, 0.5, 0.9], B: [[1, 0], [0, 1], [1, 1]], ...plain, teacher, T: 5 });
    const c = run({ op: 'expected-update', rule: 'random-diagonal', D: [0.1, 0.5, 0.9], B: [[1, 0], [0, 1], [1, 1]], ...plain, teacher, T: 5, leakRate: 1, readoutFeatures: 'state' });
    expect(c).toEqual(a);
    expect(run({ op: 'expected-loss', ...plain, teacher, T: 'inf', leakRate: 1, readoutFeatures: 'state' })).toEqual(run({ op: 'expected-loss', ...plain, teacher, T: 'inf' }));
  });
  it('expected-loss equals the library: real bias, complex bias, finite T and "inf"', () => {
    const lib = { W: p.W, U: p.U, V: V6, b };
    const o = { leakRate: 0.6, readoutFeatures: 'state+input+bias' as const };
    expect(run({ op: 'expected-loss', ...net, ...full, teacher, T: 9, loss: 'sequence-mean' })).toEqual({ loss: expectedLoss(lib, te, 9, { ...o, loss: 'sequence-mean' }) });
    expect(run({ op: 'expected-loss', ...net, ...full, teacher, T: 'inf' })).toEqual({ loss: expectedLoss(lib, te, 'inf', o) });
    const cb = { re: Float64Array.of(0.3, -0.2, 0.5), im: Float64Array.of(0.1, 0, -0.4) };
    expect(run({ op: 'expected-loss', ...net, ...full, bias: { re: Array.from(cb.re), im: Array.from(cb.im) }, teacher, T: 4 }))
      .toEqual({ loss: expectedLoss({ ...lib, b: cb }, te, 4, o) });
  });
  it('errors name the field: bias length, complex bias in expected-update, leakRate, readoutFeatures, V columns, teacher bias', () => {
    const base = { op: 'expected-update', rule: 'bptt', ...net, ...full, teacher, T: 4 };
    expect(err({ ...base, bias: [1, 2] })).toBe('expected-update: bias has length 2: expected 3');
    expect(err({ ...base, bias: { re: [1, 2, 3], im: [0, 0, 0] } })).toMatch(/^expected-update: bias: complex input is not supported here/);
    expect(err({ ...base, leakRate: 0 })).toMatch(/^expected-update: leakRate = 0: must be > 0, <= 1$/);
    expect(err({ ...base, leakRate: 1.5 })).toMatch(/leakRate = 1.5: must be > 0, <= 1/);
    expect(err({ ...base, readoutFeatures: 'input' })).toMatch(/readoutFeatures = "input": must be one of "state", "state\+input", "state\+input\+bias"/);
    expect(err({ ...base, readoutFeatures: 'state+input' })).toMatch(/^expected-update: V is 2×6, expected F = N \+ I = 3 \+ 2 = 5 columns/);
    expect(err({ ...base, teacher: { ...teacher, bias: [1, 1] } })).toMatch(/^expected-update: teacher: unknown field "bias"/);
    expect(err({ op: 'expected-loss', ...net, ...full, teacher, T: 4, bias: [1, 2, 3, 4] })).toBe('expected-loss: bias has length 4: expected 3');
  });
});
