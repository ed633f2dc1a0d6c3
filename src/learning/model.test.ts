// Tests of the full network model in the learning rules: leak rate, bias b and readout features in every rule.
//
// Checks: exact gradients of W, U, b, V against central finite differences (real linear, tanh, complex; leak 1 and
// < 1; each readout-feature choice; terminal and sequence losses); RTRL = BPTT; streaming = batched; the
// eligibility rules against an independent transcription of their leaky recursion; RFLO(α = 0, F = V_hᵀ, a = 1) =
// tBPTT(1); freezing b; the defaults; bad inputs; training with every optimizer and divergence detection.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { InputError, ShapeError } from '../core/errors.js';
import { isCMat, mat, type CVec, type Mat, type SeqBatch, type Vec } from '../core/types.js';
import { lossAndGradient } from './bptt.js';
import { evaluateLoss, networkOutputs } from './losses.js';
import { computeUpdate, createRule, streamSequence } from './rules.js';
import {
  fdGradientFlat, flatBlock, naiveEligibilityUpdate, randBatch, randCBatch, randModel, relErr, type AnyBlock,
} from './test-util.js';
import { train } from './train.js';
import type { AnySeqBatch, BlockUpdates, LearningOptions, LossKind, ReadoutFeatures, RnnParams, RuleSpec } from './types.js';

const FEATURES: ReadoutFeatures[] = ['state', 'state+input', 'state+input+bias'];
const BLOCKS = ['W', 'U', 'b', 'V'] as const;

function check(a: AnyBlock | undefined, b: AnyBlock | undefined, tol: number, label: string): void {
  const fa = flatBlock(a), fb = flatBlock(b);
  if (fa.length !== fb.length || fa.length === 0) throw new Error(`${label}: lengths ${fa.length} vs ${fb.length}`);
  const e = relErr(fa, fb);
  if (!(e <= tol)) throw new Error(`${label}: relative error ${e} > ${tol}`);
}

function data(seed: number, complex: boolean, B: number, T: number, nIn: number, nOut: number): { x: AnySeqBatch; y: AnySeqBatch } {
  const rng = createRng(seed);
  return complex
    ? { x: randCBatch(rng.child('x'), B, T, nIn), y: randCBatch(rng.child('y'), B, T, nOut) }
    : { x: randBatch(rng.child('x'), B, T, nIn), y: randBatch(rng.child('y'), B, T, nOut) };
}

/** V_hᵀ (N×O) of a real network whose V has F columns. */
function vhT(p: RnnParams<Mat>): Mat {
  const n = p.W.rows, nOut = p.V.rows, F = p.V.cols, out = mat(n, nOut);
  for (let o = 0; o < nOut; o++) for (let j = 0; j < n; j++) out.data[j * nOut + o] = p.V.data[o * F + j]!;
  return out;
}

describe('full model: exact gradients of W, U, b, V vs central finite differences (h = 1e-6, rel 1e-6 of the block max)', () => {
  // Central differences: truncation O(h²) ≈ 1e-12, rounding ≈ eps·L/h ≈ 1e-10·L; 1e-6 of the block's largest entry
  // is safe and still fails for any wrong or missing term (those are O(1) relative).
  const nets = [
    { name: 'real linear', complex: false, act: 'identity' as const },
    { name: 'real tanh', complex: false, act: 'tanh' as const },
    { name: 'complex linear', complex: true, act: 'identity' as const },
  ];
  for (const c of nets) for (const leak of [1, 0.6]) for (const features of FEATURES) {
    it(`${c.name}, leak ${leak}, ${features}, terminal and sequence-mean`, () => {
      const p = randModel(createRng(301).child(c.name), 4, 2, 3, { complex: c.complex, features, bias: true, wScale: 0.9 });
      const { x, y } = data(302, c.complex, 3, 6, 2, 3);
      for (const loss of ['terminal', 'sequence-mean'] as LossKind[]) {
        const opts: LearningOptions = { loss, activation: c.act, leakRate: leak, readoutFeatures: features };
        const { grads } = lossAndGradient(p, x, y, opts);
        for (const b of BLOCKS) {
          const g = grads[`d${b}`];
          expect(g, `d${b} present`).toBeDefined();
          check(g, fdGradientFlat(p, b, x, y, opts), 1e-6, `${c.name} leak ${leak} ${features} ${loss} d${b}`);
        }
        expect(isCMat(grads.dW!)).toBe(c.complex);
        expect(grads.db instanceof Float64Array).toBe(!c.complex);
      }
    });
  }
  it('sequence-sum and a given h0 with leak and bias (real tanh)', () => {
    const p = randModel(createRng(303), 3, 2, 2, { features: 'state+input+bias', bias: true });
    const { x, y } = data(304, false, 2, 5, 2, 2);
    const opts: LearningOptions = { loss: 'sequence-sum', activation: 'tanh', leakRate: 0.3, readoutFeatures: 'state+input+bias', h0: Float64Array.of(0.4, -0.2, 0.9) };
    const { grads } = lossAndGradient(p, x, y, opts);
    for (const b of BLOCKS) check(grads[`d${b}`], fdGradientFlat(p, b, x, y, opts), 1e-6, `d${b}`);
  });
});

describe('full model: RTRL equals BPTT (relative 1e-12: same sums, different association)', () => {
  for (const [complex, act] of [[false, 'identity'], [false, 'tanh'], [true, 'identity']] as const) {
    for (const features of FEATURES) {
      it(`${complex ? 'complex' : 'real'} ${act}, ${features}, leak 0.7 and 1, bias`, () => {
        const p = randModel(createRng(311), 5, 2, 2, { complex, features, bias: true });
        const { x, y } = data(312, complex, 3, 9, 2, 2);
        for (const leak of [0.7, 1]) for (const loss of ['terminal', 'sequence-mean'] as LossKind[]) {
          const opts: LearningOptions = { loss, activation: act, eta: 0.3, leakRate: leak, readoutFeatures: features };
          const a = computeUpdate({ name: 'rtrl' }, p, x, y, opts), b = computeUpdate({ name: 'bptt' }, p, x, y, opts);
          for (const k of ['dW', 'dU', 'db', 'dV'] as const) check(a[k], b[k], 1e-12, `leak ${leak} ${loss} ${k}`);
          expect(a.loss).toBe(b.loss);
        }
      });
    }
  }
});

describe('full model: streaming = batched (rel 1e-13)', () => {
  const rng = createRng(321);
  const T = 6;
  const B = mat(4, 2, rng.child('B').fillNormal(new Float64Array(8)));
  const specs: RuleSpec[] = [{ name: 'bptt' }, { name: 'tbptt', tau: 3 }, { name: 'rtrl' }, { name: 'rflo', alpha: 0.4, B },
    { name: 'random-diagonal', D: Float64Array.of(0.1, 0.2, 0.3, 0.4), B }, { name: 'eprop', B }, { name: 'eprop', feedback: 'VT' }];
  for (const spec of specs) {
    it(`${spec.name}: tanh, leak 0.6, bias, state+input+bias, every loss`, () => {
      const p = randModel(rng.child(spec.name), 4, 2, 2, { features: 'state+input+bias', bias: true });
      const x = randBatch(rng.child('x'), 1, T, 2), y = randBatch(rng.child('y'), 1, T, 2);
      for (const loss of ['terminal', 'sequence-mean', 'sequence-sum'] as LossKind[]) {
        const opts: LearningOptions = { loss, activation: 'tanh', eta: 0.5, leakRate: 0.6, readoutFeatures: 'state+input+bias' };
        const a = streamSequence(createRule(spec), p, mat(T, 2, x.data), mat(T, 2, y.data), opts);
        const b = computeUpdate(spec, p, x, y, opts);
        for (const k of ['dW', 'dU', 'db', 'dV'] as const) check(a[k], b[k], 1e-13, `${loss} ${k}`);
      }
    });
  }
  it('complex streaming BPTT and RTRL with leak, bias and state+input features equal the batched update', () => {
    const c = randModel(rng.child('c'), 3, 1, 1, { complex: true, features: 'state+input', bias: true });
    const cx = randCBatch(rng.child('cx'), 1, 4, 1), cy = randCBatch(rng.child('cy'), 1, 4, 1);
    const opts: LearningOptions = { loss: 'sequence-sum', leakRate: 0.5, readoutFeatures: 'state+input' };
    for (const spec of [{ name: 'bptt' }, { name: 'rtrl' }] as RuleSpec[]) {
      const a = streamSequence(createRule(spec), c, { rows: 4, cols: 1, re: cx.re, im: cx.im }, { rows: 4, cols: 1, re: cy.re, im: cy.im }, opts);
      const b = computeUpdate(spec, c, cx, cy, opts);
      for (const k of ['dW', 'dU', 'db', 'dV'] as const) check(a[k], b[k], 1e-13, `${spec.name} ${k}`);
    }
  });
});

describe('full model: eligibility rules vs an independent transcription of the leaky trace (rel 1e-12)', () => {
  // The trace is p_t = ((1−a) + a·d) ⊙ p_{t−1} + a·σ'_t ⊗ v_t (eligibility.ts header, the decision recorded there).
  const rng = createRng(331);
  const n = 4, nIn = 2, nOut = 3, T = 7;
  const x = randBatch(rng.child('x'), 3, T, nIn), y = randBatch(rng.child('y'), 3, T, nOut);
  const B = mat(n, nOut, rng.child('B').fillNormal(new Float64Array(n * nOut)));
  const D = Float64Array.of(0.1, 0.5, 0.9, 0);
  for (const features of FEATURES) {
    const p = randModel(rng.child(features), n, nIn, nOut, { features, bias: true }) as RnnParams<Mat>;
    const diagW = Float64Array.from({ length: n }, (_, i) => p.W.data[i * n + i]!);
    const rules: Array<{ spec: RuleSpec; d: Float64Array; F: Mat }> = [
      { spec: { name: 'rflo', alpha: 0.5, B }, d: new Float64Array(n).fill(0.5), F: B },
      { spec: { name: 'rflo', alpha: 0, B }, d: new Float64Array(n), F: B }, // Murray's original leaky RFLO
      { spec: { name: 'random-diagonal', D, B }, d: D, F: B },
      { spec: { name: 'eprop', B }, d: diagW, F: B },
      { spec: { name: 'eprop', feedback: 'VT' }, d: diagW, F: vhT(p) },
    ];
    for (const r of rules) {
      const label = `${r.spec.name}${'alpha' in r.spec ? ` α=${r.spec.alpha}` : ''}${r.spec.name === 'eprop' ? ` (${r.spec.feedback ?? 'B'})` : ''}`;
      it(`${label}, ${features}: leak 0.35 / 1, linear and tanh, terminal and sequence-mean`, () => {
        for (const leak of [0.35, 1]) for (const tanh of [false, true]) for (const loss of ['terminal', 'sequence-mean'] as LossKind[]) {
          const opts: LearningOptions = { loss, activation: tanh ? 'tanh' : 'identity', leakRate: leak, readoutFeatures: features, eta: 0.7 };
          const got = computeUpdate(r.spec, p, x, y, opts);
          const want = naiveEligibilityUpdate(p, x as SeqBatch, y as SeqBatch, loss, r.d, r.F, { leak, tanh, features, eta: 0.7 });
          for (const k of ['dW', 'dU', 'db', 'dV'] as const) check(got[k], want[k], 1e-12, `leak ${leak} tanh ${tanh} ${loss} ${k}`);
        }
      });
    }
  }
});

describe('full model: identities and defaults', () => {
  const rng = createRng(341);
  it('RFLO with α = 0, B = V_hᵀ and a = 1 is tBPTT(1) bit for bit, with bias and every readout-feature choice (linear)', () => {
    for (const features of FEATURES) {
      const p = randModel(rng.child(features), 5, 2, 3, { features, bias: true }) as RnnParams<Mat>;
      const x = randBatch(rng.child('x'), 4, 8, 2), y = randBatch(rng.child('y'), 4, 8, 3);
      for (const loss of ['terminal', 'sequence-mean', 'sequence-sum'] as LossKind[]) {
        const opts: LearningOptions = { loss, eta: 0.1, readoutFeatures: features };
        const a = computeUpdate({ name: 'rflo', alpha: 0, B: vhT(p) }, p, x, y, opts);
        const b = computeUpdate({ name: 'tbptt', tau: 1 }, p, x, y, opts);
        for (const k of ['dW', 'dU', 'db', 'dV'] as const) expect(Array.from(flatBlock(a[k])), `${features} ${loss} ${k}`).toEqual(Array.from(flatBlock(b[k])));
      }
    }
  });
  it('explicit defaults (leakRate 1, readoutFeatures "state") give bit-identical updates; a zero bias leaves W, U, V updates bit-identical', () => {
    const p = randModel(rng.child('d'), 4, 2, 2) as RnnParams<Mat>;
    const x = randBatch(rng.child('x'), 3, 6, 2), y = randBatch(rng.child('y'), 3, 6, 2);
    const B = mat(4, 2, rng.child('B').fillNormal(new Float64Array(8)));
    for (const spec of [{ name: 'bptt' }, { name: 'tbptt', tau: 2 }, { name: 'rtrl' }, { name: 'rflo', alpha: 0.3, B }] as RuleSpec[]) {
      for (const activation of ['identity', 'tanh'] as const) {
        const base = computeUpdate(spec, p, x, y, { loss: 'sequence-mean', activation });
        const explicit = computeUpdate(spec, p, x, y, { loss: 'sequence-mean', activation, leakRate: 1, readoutFeatures: 'state' });
        const zeroBias = computeUpdate(spec, { ...p, b: new Float64Array(4) }, x, y, { loss: 'sequence-mean', activation });
        expect(base.db).toBeUndefined();
        expect(zeroBias.db).toBeDefined();
        for (const k of ['dW', 'dU', 'dV'] as const) {
          expect(Array.from(flatBlock(explicit[k])), `${spec.name} ${k} explicit`).toEqual(Array.from(flatBlock(base[k])));
          expect(Array.from(flatBlock(zeroBias[k])), `${spec.name} ${k} zero bias`).toEqual(Array.from(flatBlock(base[k])));
        }
        expect(zeroBias.loss).toBe(base.loss);
      }
    }
  });
  it('outputs follow y_t = V z_t: the direct input and constant columns of V act on x_t and 1 (networkOutputs against a hand step)', () => {
    const p = randModel(rng.child('o'), 3, 2, 2, { features: 'state+input+bias', bias: true }) as RnnParams<Mat>;
    const x = randBatch(rng.child('x'), 1, 2, 2);
    const y = networkOutputs(p, x, { readoutFeatures: 'state+input+bias', leakRate: 0.5, activation: 'tanh' }) as SeqBatch;
    let h = new Float64Array(3);
    const b = p.b as Vec;
    for (let t = 0; t < 2; t++) {
      const xt = x.data.subarray(2 * t, 2 * t + 2), hn = new Float64Array(3);
      for (let i = 0; i < 3; i++) {
        let s = b[i]!;
        for (let j = 0; j < 3; j++) s += p.W.data[i * 3 + j]! * h[j]!;
        for (let j = 0; j < 2; j++) s += p.U.data[i * 2 + j]! * xt[j]!;
        hn[i] = 0.5 * h[i]! + 0.5 * Math.tanh(s);
      }
      h = hn;
      const z = [...h, ...xt, 1];
      for (let o = 0; o < 2; o++) {
        const want = z.reduce((acc, v, j) => acc + p.V.data[o * 6 + j]! * v, 0);
        expect(Math.abs(y.data[t * 2 + o]! - want)).toBeLessThan(1e-14); // a few roundings of O(1) terms
      }
    }
  });
});

describe('full model: freezing', () => {
  const rng = createRng(351);
  const p = randModel(rng.child('p'), 4, 2, 2, { features: 'state+input', bias: true }) as RnnParams<Mat>;
  const x = randBatch(rng.child('x'), 2, 5, 2), y = randBatch(rng.child('y'), 2, 5, 2);
  const opts: LearningOptions = { loss: 'sequence-mean', activation: 'tanh', leakRate: 0.8, readoutFeatures: 'state+input' };
  it('any subset of W, U, b, V may be frozen: frozen blocks get no update, the free ones are unchanged (every rule)', () => {
    const B = mat(4, 2, rng.child('B').fillNormal(new Float64Array(8)));
    for (const spec of [{ name: 'bptt' }, { name: 'rtrl' }, { name: 'tbptt', tau: 2 }, { name: 'rflo', alpha: 0.5, B }] as RuleSpec[]) {
      const all = computeUpdate(spec, p, x, y, opts);
      for (let mask = 1; mask < 16; mask++) {
        const freeze = { W: !!(mask & 1), U: !!(mask & 2), b: !!(mask & 4), V: !!(mask & 8) };
        const u = computeUpdate(spec, p, x, y, { ...opts, freeze });
        for (const k of BLOCKS) {
          const got = u[`d${k}`];
          if (freeze[k]) expect(got, `${spec.name} mask ${mask} d${k} frozen`).toBeUndefined();
          else expect(Array.from(flatBlock(got)), `${spec.name} mask ${mask} d${k}`).toEqual(Array.from(flatBlock(all[`d${k}`])));
        }
      }
    }
  });
  it('without params.b there is no db, also when b is not frozen; lossAndGradient and streaming agree', () => {
    const { b: _b, ...noBias } = p;
    expect(computeUpdate({ name: 'bptt' }, noBias, x, y, opts).db).toBeUndefined();
    expect(lossAndGradient(p, x, y, { ...opts, freeze: { b: true } }).grads.db).toBeUndefined();
    expect(streamSequence(createRule({ name: 'rtrl' }), p, mat(5, 2, x.data.subarray(0, 10)), mat(5, 2, y.data.subarray(0, 10)), { ...opts, freeze: { b: true } }).db).toBeUndefined();
  });
});

describe('full model: bad inputs name the field', () => {
  const rng = createRng(361);
  const p = randModel(rng.child('p'), 3, 2, 2, { bias: true }) as RnnParams<Mat>;
  const x = randBatch(rng.child('x'), 2, 4, 2), y = randBatch(rng.child('y'), 2, 4, 2);
  const expectError = (f: () => unknown, cls: typeof InputError | typeof ShapeError, field: string, re: RegExp): void => {
    let err: unknown;
    try { f(); } catch (e) { err = e; }
    expect(err, `expected ${cls.name}`).toBeInstanceOf(cls);
    expect((err as InputError).field).toBe(field);
    expect((err as Error).message).toMatch(re);
  };
  it('wrong bias length or type, leak outside (0, 1], unknown readoutFeatures, V with the wrong number of columns', () => {
    expectError(() => computeUpdate({ name: 'bptt' }, { ...p, b: new Float64Array(2) }, x, y), ShapeError, 'b', /b has length 2, expected N = 3/);
    expectError(() => computeUpdate({ name: 'bptt' }, { ...p, b: [1, 2, 3] as unknown as Vec }, x, y), InputError, 'b', /b = .*must be a Float64Array or \{re, im\}/);
    expectError(() => computeUpdate({ name: 'bptt' }, { ...p, b: Float64Array.of(0, NaN, 0) }, x, y), InputError, 'b', /non-finite/);
    for (const leak of [0, -0.5, 1.5, NaN]) {
      expectError(() => lossAndGradient(p, x, y, { leakRate: leak }), InputError, 'leakRate', /leakRate = .*must be a number in \(0, 1\]/);
    }
    expectError(() => evaluateLoss(p, x, y, { readoutFeatures: 'input' as ReadoutFeatures }), InputError, 'readoutFeatures',
      /readoutFeatures = "input": must be one of "state", "state\+input", "state\+input\+bias"/);
    expectError(() => computeUpdate({ name: 'rtrl' }, p, x, y, { readoutFeatures: 'state+input' }), ShapeError, 'V',
      /V is 2×3, expected 5 columns \(N \+ I = 3 \+ 2 for readoutFeatures "state\+input"\)/);
    const wide = randModel(rng.child('w'), 3, 2, 2, { features: 'state+input+bias' });
    expectError(() => computeUpdate({ name: 'bptt' }, wide, x, y), ShapeError, 'V', /V is 2×6, expected 3 columns/);
    expectError(() => streamSequence(createRule({ name: 'bptt' }), wide, mat(4, 2), mat(4, 2), { readoutFeatures: 'state+input' }), ShapeError, 'V', /expected 5 columns/);
    expectError(() => train(wide, { x, y }, { x, y }, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 0.1 }, epochs: 1, batchSize: 2 }, createRng(1)),
      ShapeError, 'V', /expected 3 columns/);
    expectError(() => createRule({ name: 'bptt' }).init(p, { leakRate: 2 }), InputError, 'leakRate', /leakRate = 2/);
  });
});

describe('full model: train()', () => {
  const rng = createRng(371);
  const teacher = randModel(rng.child('t'), 3, 1, 1, { features: 'state+input+bias', bias: true, wScale: 0.7 }) as RnnParams<Mat>;
  const opts = { readoutFeatures: 'state+input+bias' as const, leakRate: 0.6, activation: 'tanh' as const };
  const mk = (c: number, seed: number): { x: SeqBatch; y: SeqBatch } => {
    const x = randBatch(rng.child(`x${seed}`), c, 8, 1);
    return { x, y: networkOutputs(teacher, x, opts) as SeqBatch };
  };
  const trainSet = mk(32, 1), valSet = mk(16, 2);
  const student = randModel(rng.child('s'), 3, 1, 1, { features: 'state+input+bias', bias: true, wScale: 0.7 }) as RnnParams<Mat>;
  for (const optimizer of [{ name: 'sgd', lr: 0.05 }, { name: 'momentum', lr: 0.02 }, { name: 'adam', lr: 0.01 }] as const) {
    it(`${optimizer.name}: trains W, U, b, V of the leaky biased model (validation loss decreases; b moves)`, () => {
      const r = train(student, trainSet, valSet, { rule: { name: 'bptt' }, optimizer, epochs: 15, batchSize: 8, loss: 'sequence-mean', ...opts }, createRng(5));
      expect(r.status).toBe('completed');
      expect(r.history.at(-1)!.valLoss).toBeLessThan(0.7 * r.history[0]!.valLoss);
      expect(r.history.at(-1)!.gradNorm.b).toBeGreaterThan(0);
      expect(relErr(r.params.b as Vec, student.b as Vec)).toBeGreaterThan(1e-3);
      expect(r.params.V.cols).toBe(5);
    });
  }
  it('freeze: {b: true} returns the very same bias object; divergence is reported with its epoch', () => {
    const r = train(student, trainSet, valSet, { rule: { name: 'rtrl' }, optimizer: { name: 'sgd', lr: 0.05 }, epochs: 2, batchSize: 8, freeze: { b: true }, ...opts }, createRng(6));
    expect(r.params.b).toBe(student.b);
    expect(r.history[1]!.gradNorm.b).toBeUndefined();
    const lin = { ...opts, activation: 'identity' as const };
    const d = train(student, trainSet, valSet, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1e4 }, epochs: 20, batchSize: 8, loss: 'sequence-sum', ...lin }, createRng(7));
    expect(d.status).toBe('diverged');
    expect(d.divergence!.epoch).toBeGreaterThanOrEqual(1);
    expect(d.epochs).toBeLessThan(20);
    for (const a of [flatBlock(d.params.W), flatBlock(d.params.b as Vec), flatBlock(d.params.V)]) expect(a.every(Number.isFinite)).toBe(true);
  });
  it('complex networks: the bias is a CVec block with leaves b.re, b.im', () => {
    const c = randModel(rng.child('c'), 2, 1, 1, { complex: true, bias: true, features: 'state+input' });
    const cx = randCBatch(rng.child('cx'), 8, 5, 1), cy = randCBatch(rng.child('cy'), 8, 5, 1);
    const r = train(c, { x: cx, y: cy }, { x: cx, y: cy }, { rule: { name: 'bptt' }, optimizer: { name: 'adam', lr: 0.01 }, epochs: 3, batchSize: 4, leakRate: 0.5, readoutFeatures: 'state+input', loss: 'sequence-mean' }, createRng(8));
    expect(r.status).toBe('completed');
    const b = r.params.b as CVec;
    expect(b.re).toBeInstanceOf(Float64Array);
    expect(relErr(flatBlock(b), flatBlock(c.b as CVec))).toBeGreaterThan(1e-4);
    const u: BlockUpdates = computeUpdate({ name: 'rtrl' }, c, cx, cy, { leakRate: 0.5, readoutFeatures: 'state+input' });
    expect((u.db as CVec).im).toBeInstanceOf(Float64Array);
  });
});
