// Tests of the learning rules: gradients vs finite differences, RTRL = BPTT, tBPTT/RFLO/e-prop vs naive
// transcriptions of docs/theory/learning-rules.md §2–5, identities between rules, freezing, streaming = batched.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { isCMat, mat, type AnyMat, type Mat, type SeqBatch } from '../core/types.js';
import { lossAndGradient } from './bptt.js';
import { computeUpdate, createRule, ruleFromName, streamSequence } from './rules.js';
import { fdGradient, flat, randBatch, randCBatch, randCNet, randNet, referenceTerminal, relErr } from './test-util.js';
import type { AnySeqBatch, LossKind, RnnParams, RuleSpec } from './types.js';

const LOSSES: LossKind[] = ['terminal', 'sequence-mean', 'sequence-sum'];

function check(a: AnyMat | undefined, b: AnyMat | undefined, tol: number, label: string): void {
  const e = relErr(flat(a), flat(b));
  if (!(e <= tol)) throw new Error(`${label}: relative error ${e} > ${tol}`);
}

describe('exact gradients vs central finite differences (h = 1e-6, relative error ≤ 1e-6 of the block max)', () => {
  // Central differences have truncation error O(h²) ≈ 1e-12 and rounding error ≈ eps·L/h ≈ 1e-10·L here,
  // so 1e-6 relative to the largest gradient entry of the block is a safe, still sharp bound.
  const cases: Array<{ name: string; complex: boolean; act: 'identity' | 'tanh' }> = [
    { name: 'real linear', complex: false, act: 'identity' },
    { name: 'real tanh', complex: false, act: 'tanh' },
    { name: 'complex linear', complex: true, act: 'identity' },
  ];
  for (const c of cases) {
    for (const loss of LOSSES) {
      it(`${c.name}, ${loss}`, () => {
        const rng = createRng(11);
        const p = c.complex ? randCNet(rng.child('p'), 4, 2, 3, 0.9) : randNet(rng.child('p'), 4, 2, 3, 0.9);
        const x = c.complex ? randCBatch(rng.child('x'), 3, 6, 2) : randBatch(rng.child('x'), 3, 6, 2);
        const y = c.complex ? randCBatch(rng.child('y'), 3, 6, 3) : randBatch(rng.child('y'), 3, 6, 3);
        const opts = { loss, activation: c.act } as const;
        const { grads } = lossAndGradient(p, x, y, opts);
        for (const b of ['W', 'U', 'V'] as const) {
          const fd = fdGradient(p, b, x, y, opts);
          expect(isCMat(grads[`d${b}`]!)).toBe(c.complex);
          check(grads[`d${b}`], fd, 1e-6, `${c.name} ${loss} d${b}`);
        }
      });
    }
  }
  it('a given h0 enters the W gradient (real linear, sequence-mean)', () => {
    const rng = createRng(12);
    const p = randNet(rng.child('p'), 3, 1, 2);
    const x = randBatch(rng.child('x'), 2, 4, 1), y = randBatch(rng.child('y'), 2, 4, 2);
    const opts = { loss: 'sequence-mean', h0: Float64Array.of(0.5, -1, 2) } as const;
    check(lossAndGradient(p, x, y, opts).grads.dW, fdGradient(p, 'W', x, y, opts), 1e-6, 'dW with h0');
  });
});

describe('RTRL equals BPTT (relative 1e-12: same sums, different association)', () => {
  for (const complex of [false, true]) {
    for (const act of complex ? ['identity' as const] : ['identity' as const, 'tanh' as const]) {
      for (const loss of LOSSES) {
        it(`${complex ? 'complex' : 'real'} ${act} ${loss}`, () => {
          const rng = createRng(21);
          const p = complex ? randCNet(rng.child('p'), 5, 2, 2) : randNet(rng.child('p'), 5, 2, 2);
          const x = complex ? randCBatch(rng.child('x'), 3, 9, 2) : randBatch(rng.child('x'), 3, 9, 2);
          const y = complex ? randCBatch(rng.child('y'), 3, 9, 2) : randBatch(rng.child('y'), 3, 9, 2);
          const opts = { loss, activation: act, eta: 0.3 };
          const a = computeUpdate({ name: 'rtrl' }, p, x, y, opts);
          const b = computeUpdate({ name: 'bptt' }, p, x, y, opts);
          for (const k of ['dW', 'dU', 'dV'] as const) check(a[k], b[k], 1e-12, k);
          expect(a.loss).toBe(b.loss);
        });
      }
    }
  }
});

describe('BPTT update = −η × gradient', () => {
  it('real tanh, sequence-sum, η = 0.25', () => {
    const rng = createRng(31);
    const p = randNet(rng.child('p'), 4, 2, 2);
    const x = randBatch(rng.child('x'), 4, 5, 2), y = randBatch(rng.child('y'), 4, 5, 2);
    const opts = { loss: 'sequence-sum', activation: 'tanh' } as const;
    const g = lossAndGradient(p, x, y, opts).grads;
    const u = computeUpdate({ name: 'bptt' }, p, x, y, { ...opts, eta: 0.25 });
    for (const k of ['dW', 'dU', 'dV'] as const) {
      const gg = flat(g[k]).map((v) => -0.25 * v);
      check(u[k], mat(1, gg.length, gg), 1e-15, k);
    }
  });
});

describe('truncated BPTT', () => {
  it('τ ≥ T equals BPTT exactly (every loss, linear and tanh)', () => {
    const rng = createRng(41);
    const p = randNet(rng.child('p'), 4, 2, 2);
    const x = randBatch(rng.child('x'), 2, 6, 2), y = randBatch(rng.child('y'), 2, 6, 2);
    for (const loss of LOSSES) for (const activation of ['identity', 'tanh'] as const) {
      const a = computeUpdate({ name: 'tbptt', tau: 6 }, p, x, y, { loss, activation });
      const b = computeUpdate({ name: 'bptt' }, p, x, y, { loss, activation });
      const c = computeUpdate({ name: 'tbptt', tau: 50 }, p, x, y, { loss, activation });
      for (const k of ['dW', 'dU', 'dV'] as const) {
        expect(flat(a[k])).toEqual(flat(b[k]));
        expect(flat(c[k])).toEqual(flat(b[k]));
      }
    }
  });
  it('τ = 1, 2, 5 against the naive formula of docs/theory/learning-rules.md §3 and its §6 sequence-loss version (linear and tanh, rel 1e-12)', () => {
    const rng = createRng(42);
    const p = randNet(rng.child('p'), 4, 2, 3);
    const T = 7;
    const x = randBatch(rng.child('x'), 2, T, 2), y = randBatch(rng.child('y'), 2, T, 3);
    for (const tau of [1, 2, 5]) for (const tanh of [false, true]) {
      for (const loss of LOSSES) {
        const got = computeUpdate({ name: 'tbptt', tau }, p, x, y, { loss, eta: 1, activation: tanh ? 'tanh' : 'identity' });
        const want = naive(p, x, y, loss, (t) => ({ kind: 'tbptt', tau: Math.min(tau, t) }), tanh);
        check(got.dW, want.dW, 1e-12, `τ=${tau} ${loss} dW`);
        check(got.dU, want.dU, 1e-12, `τ=${tau} ${loss} dU`);
        check(got.dV, want.dV, 1e-12, `τ=${tau} ${loss} dV`);
      }
    }
  });
  it('complex tBPTT(2) differs from BPTT only in W and U, and tBPTT(T) is BPTT', () => {
    const rng = createRng(43);
    const p = randCNet(rng.child('p'), 3, 2, 2);
    const x = randCBatch(rng.child('x'), 2, 5, 2), y = randCBatch(rng.child('y'), 2, 5, 2);
    const a = computeUpdate({ name: 'tbptt', tau: 5 }, p, x, y, { loss: 'sequence-mean' });
    const b = computeUpdate({ name: 'bptt' }, p, x, y, { loss: 'sequence-mean' });
    const c = computeUpdate({ name: 'tbptt', tau: 2 }, p, x, y, { loss: 'sequence-mean' });
    expect(flat(a.dW)).toEqual(flat(b.dW));
    expect(flat(c.dV)).toEqual(flat(b.dV));
    expect(relErr(flat(c.dW), flat(b.dW))).toBeGreaterThan(1e-3);
  });
});

/** Reference update of a batch: mean over sequences of the (sequence-)loss version built from terminal updates. */
function naive(p: RnnParams<Mat>, x: SeqBatch, y: SeqBatch, loss: LossKind,
  rule: (t: number) => Parameters<typeof referenceTerminal>[5], tanh = false): { dW: Mat; dU: Mat; dV: Mat } {
  const n = p.W.rows, nIn = p.U.cols, nOut = p.V.rows, T = x.steps;
  const dW = mat(n, n), dU = mat(n, nIn), dV = mat(nOut, n);
  for (let b = 0; b < x.batch; b++) {
    const xs = x.data.subarray(b * T * nIn, (b + 1) * T * nIn);
    const ts = loss === 'terminal' ? [T] : Array.from({ length: T }, (_, k) => k + 1);
    const w = (loss === 'sequence-mean' ? 1 / T : 1) / x.batch;
    for (const t of ts) {
      const yt = y.data.subarray((b * T + t - 1) * nOut, (b * T + t) * nOut);
      const r = referenceTerminal(p, xs, nIn, t, yt, rule(t), tanh);
      for (let k = 0; k < dW.data.length; k++) dW.data[k]! += w * r.dW[k]!;
      for (let k = 0; k < dU.data.length; k++) dU.data[k]! += w * r.dU[k]!;
      for (let k = 0; k < dV.data.length; k++) dV.data[k]! += w * r.dV[k]!;
    }
  }
  return { dW, dU, dV };
}

describe('eligibility-trace rules vs the naive formula of docs/theory/learning-rules.md §5.2 (tanh: σ′ on the immediate term, Murray 2019; rel 1e-12)', () => {
  const rng = createRng(51);
  const p = randNet(rng.child('p'), 4, 2, 3);
  const T = 6;
  const x = randBatch(rng.child('x'), 3, T, 2), y = randBatch(rng.child('y'), 3, T, 3);
  const B = mat(4, 3, rng.child('B').fillNormal(new Float64Array(12)));
  const D = Float64Array.of(0.1, 0.5, 0.9, 0.3);
  const diagW = Float64Array.from({ length: 4 }, (_, i) => p.W.data[i * 4 + i]!);
  const VT = mat(4, 3);
  for (let o = 0; o < 3; o++) for (let j = 0; j < 4; j++) VT.data[j * 3 + o] = p.V.data[o * 4 + j]!;
  const rules: Array<{ spec: RuleSpec; d: Float64Array; F: Mat }> = [
    { spec: { name: 'rflo', alpha: 0.5, B }, d: new Float64Array(4).fill(0.5), F: B },
    { spec: { name: 'random-diagonal', D, B }, d: D, F: B },
    { spec: { name: 'eprop', B }, d: diagW, F: B },
    { spec: { name: 'eprop', feedback: 'VT' }, d: diagW, F: VT },
  ];
  for (const r of rules) {
    for (const loss of LOSSES) {
      it(`${r.spec.name}${r.spec.name === 'eprop' ? ` (${r.spec.feedback ?? 'B'})` : ''}, ${loss}, linear and tanh`, () => {
        for (const tanh of [false, true]) {
        const got = computeUpdate(r.spec, p, x, y, { loss, activation: tanh ? 'tanh' : 'identity' });
        const want = naive(p, x, y, loss, () => ({ kind: 'elig', d: r.d, F: r.F }), tanh);
        check(got.dW, want.dW, 1e-12, 'dW');
        check(got.dU, want.dU, 1e-12, 'dU');
        check(got.dV, want.dV, 1e-12, 'dV');
        }
      });
    }
  }
});

describe('identities between rules', () => {
  const rng = createRng(61);
  const p = randNet(rng.child('p'), 5, 2, 3);
  const x = randBatch(rng.child('x'), 4, 8, 2), y = randBatch(rng.child('y'), 4, 8, 3);
  const VT = mat(5, 3);
  for (let o = 0; o < 3; o++) for (let j = 0; j < 5; j++) VT.data[j * 3 + o] = p.V.data[o * 5 + j]!;
  it('RFLO with α = 0 and B = Vᵀ is tBPTT(1) bit for bit (linear, every loss)', () => {
    for (const loss of LOSSES) {
      const a = computeUpdate({ name: 'rflo', alpha: 0, B: VT }, p, x, y, { loss, eta: 0.1 });
      const b = computeUpdate({ name: 'tbptt', tau: 1 }, p, x, y, { loss, eta: 0.1 });
      for (const k of ['dW', 'dU', 'dV'] as const) expect(flat(a[k])).toEqual(flat(b[k]));
    }
  });
  it('with tanh they agree to rounding (σ′ is applied at a different place in the product; rel 1e-14)', () => {
    const a = computeUpdate({ name: 'rflo', alpha: 0, B: VT }, p, x, y, { loss: 'sequence-mean', activation: 'tanh' });
    const b = computeUpdate({ name: 'tbptt', tau: 1 }, p, x, y, { loss: 'sequence-mean', activation: 'tanh' });
    for (const k of ['dW', 'dU', 'dV'] as const) check(a[k], b[k], 1e-14, k);
  });
  it('every rule has the same ΔV', () => {
    const B = mat(5, 3, rng.child('B').fillNormal(new Float64Array(15)));
    const ref = computeUpdate({ name: 'bptt' }, p, x, y, { loss: 'sequence-sum' }).dV;
    for (const spec of [{ name: 'rflo', alpha: 0.3, B }, { name: 'eprop', B }, { name: 'tbptt', tau: 2 }, { name: 'rtrl' }] as RuleSpec[]) {
      expect(flat(computeUpdate(spec, p, x, y, { loss: 'sequence-sum' }).dV)).toEqual(flat(ref));
    }
  });
});

describe('tanh eligibility traces (Murray 2019: σ′(a_t) on the immediate term only)', () => {
  it('RFLO(α) with tanh matches a direct transcription of the trace', () => {
    const rng = createRng(71);
    const p = randNet(rng.child('p'), 3, 2, 2);
    const T = 5;
    const x = randBatch(rng.child('x'), 1, T, 2), y = randBatch(rng.child('y'), 1, T, 2);
    const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
    const alpha = 0.6;
    const got = computeUpdate({ name: 'rflo', alpha, B }, p, x, y, { loss: 'terminal', activation: 'tanh' });
    // direct: h_t = tanh(a_t), p_ij ← α p_ij + (1 − h_{t,i}²) h_{t−1,j}; ΔW = (B e_T)_i p_ij
    const n = 3;
    let h = new Float64Array(n);
    const pW = new Float64Array(n * n);
    for (let t = 0; t < T; t++) {
      const hn = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let a = 0;
        for (let j = 0; j < n; j++) a += p.W.data[i * n + j]! * h[j]!;
        for (let j = 0; j < 2; j++) a += p.U.data[i * 2 + j]! * x.data[t * 2 + j]!;
        hn[i] = Math.tanh(a);
      }
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) pW[i * n + j] = alpha * pW[i * n + j]! + (1 - hn[i]! ** 2) * h[j]!;
      h = hn;
    }
    const e = [0, 1].map((o) => y.data[(T - 1) * 2 + o]! - (p.V.data[o * n]! * h[0]! + p.V.data[o * n + 1]! * h[1]! + p.V.data[o * n + 2]! * h[2]!));
    const want = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) want[i * n + j] = (B.data[i * 2]! * e[0]! + B.data[i * 2 + 1]! * e[1]!) * pW[i * n + j]!;
    check(got.dW, mat(n, n, want), 1e-13, 'dW');
  });
});

describe('freezing', () => {
  it('frozen blocks get no update; the free ones are unchanged by freezing others', () => {
    const rng = createRng(81);
    const p = randNet(rng.child('p'), 4, 2, 2);
    const x = randBatch(rng.child('x'), 2, 5, 2), y = randBatch(rng.child('y'), 2, 5, 2);
    const B = mat(4, 2, rng.child('B').fillNormal(new Float64Array(8)));
    for (const spec of [{ name: 'bptt' }, { name: 'rtrl' }, { name: 'tbptt', tau: 2 }, { name: 'rflo', alpha: 0.5, B }] as RuleSpec[]) {
      const full = computeUpdate(spec, p, x, y, { loss: 'sequence-mean' });
      const onlyV = computeUpdate(spec, p, x, y, { loss: 'sequence-mean', freeze: { W: true, U: true } });
      expect(onlyV.dW).toBeUndefined();
      expect(onlyV.dU).toBeUndefined();
      expect(flat(onlyV.dV)).toEqual(flat(full.dV));
      const noV = computeUpdate(spec, p, x, y, { loss: 'sequence-mean', freeze: { V: true, U: true } });
      expect(noV.dV).toBeUndefined();
      expect(flat(noV.dW)).toEqual(flat(full.dW));
    }
  });
});

describe('streaming form', () => {
  const rng = createRng(91);
  const p = randNet(rng.child('p'), 4, 2, 2);
  const T = 6;
  const x = randBatch(rng.child('x'), 1, T, 2), y = randBatch(rng.child('y'), 1, T, 2);
  const B = mat(4, 2, rng.child('B').fillNormal(new Float64Array(8)));
  const xm = mat(T, 2, x.data), ym = mat(T, 2, y.data);
  const specs: RuleSpec[] = [{ name: 'bptt' }, { name: 'tbptt', tau: 3 }, { name: 'rtrl' }, { name: 'rflo', alpha: 0.4, B },
    { name: 'random-diagonal', D: Float64Array.of(0.1, 0.2, 0.3, 0.4), B }, { name: 'eprop', B }];
  for (const spec of specs) {
    it(`${spec.name}: stream over one sequence = computeUpdate on a batch of one (rel 1e-13)`, () => {
      for (const loss of LOSSES) {
        const a = streamSequence(createRule(spec), p, xm, ym, { loss, activation: 'tanh', eta: 0.5 });
        const b = computeUpdate(spec, p, x, y, { loss, activation: 'tanh', eta: 0.5 });
        for (const k of ['dW', 'dU', 'dV'] as const) check(a[k], b[k], 1e-13, `${loss} ${k}`);
      }
    });
  }
  it('RTRL with emit "step" emits one update per target step, summing to the sequence update', () => {
    const rule = createRule({ name: 'rtrl' });
    const st = rule.init(p, { emit: 'step' });
    let count = 0;
    const sum = new Float64Array(16);
    for (let t = 0; t < T; t++) {
      const r = rule.step(p, st, { x: xm.data.subarray(2 * t, 2 * t + 2), target: ym.data.subarray(2 * t, 2 * t + 2), weight: 1 / T });
      if (r.update !== null) { count++; flat(r.update.dW).forEach((v, i) => { sum[i]! += v; }); }
    }
    const end = rule.endSequence(p, st);
    expect(end.update).toBeNull();
    expect(relErr([end.loss], [computeUpdate({ name: 'rtrl' }, p, x, y, { loss: 'sequence-mean' }).loss])).toBeLessThan(1e-14);
    expect(count).toBe(T);
    check(mat(4, 4, sum), computeUpdate({ name: 'rtrl' }, p, x, y, { loss: 'sequence-mean' }).dW, 1e-13, 'dW');
  });
  it('complex streaming BPTT equals the batched update', () => {
    const c = randCNet(rng.child('c'), 3, 1, 1);
    const cx = randCBatch(rng.child('cx'), 1, 4, 1), cy = randCBatch(rng.child('cy'), 1, 4, 1);
    const a = streamSequence(createRule({ name: 'bptt' }), c, { rows: 4, cols: 1, re: cx.re, im: cx.im }, { rows: 4, cols: 1, re: cy.re, im: cy.im }, { loss: 'sequence-sum' });
    const b = computeUpdate({ name: 'bptt' }, c, cx, cy, { loss: 'sequence-sum' });
    for (const k of ['dW', 'dU', 'dV'] as const) check(a[k], b[k], 1e-13, k);
  });
});

describe('input errors name the field', () => {
  const rng = createRng(101);
  const p = randNet(rng.child('p'), 3, 2, 2);
  const x = randBatch(rng.child('x'), 1, 4, 2), y = randBatch(rng.child('y'), 1, 4, 2);
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['unknown rule', () => ruleFromName('sgd'), /rule = "sgd": must be one of/],
    ['tau', () => computeUpdate({ name: 'tbptt', tau: 0 }, p, x, y), /tau = 0: must be an integer >= 1/],
    ['alpha', () => computeUpdate({ name: 'rflo', alpha: 1, B: mat(3, 2) }, p, x, y), /alpha = 1: must be a number in \[0, 1\)/],
    ['B missing', () => ruleFromName('rflo', { alpha: 0.5 }), /B is required/],
    ['B shape', () => computeUpdate({ name: 'rflo', alpha: 0.5, B: mat(2, 2) }, p, x, y), /B is 2×2, expected N×O = 3×2/],
    ['D length', () => computeUpdate({ name: 'random-diagonal', D: Float64Array.of(0.1), B: mat(3, 2) }, p, x, y), /D has length 1, expected N = 3/],
    ['x dim', () => computeUpdate({ name: 'bptt' }, p, randBatch(rng, 1, 4, 3), y), /x has 3 input columns, expected I = 2/],
    ['target steps', () => computeUpdate({ name: 'bptt' }, p, x, randBatch(rng, 1, 3, 2), { loss: 'sequence-mean' }), /target has 3 steps/],
    ['loss', () => computeUpdate({ name: 'bptt' }, p, x, y, { loss: 'mse' as LossKind }), /loss = "mse"/],
    ['eta', () => computeUpdate({ name: 'bptt' }, p, x, y, { eta: -1 }), /eta = -1/],
    ['complex rflo', () => computeUpdate({ name: 'rflo', alpha: 0.1, B: mat(3, 2) }, randCNet(rng, 3, 2, 2), randCBatch(rng, 1, 4, 2), randCBatch(rng, 1, 4, 2)), /complex networks support only/],
    ['complex tanh', () => computeUpdate({ name: 'bptt' }, randCNet(rng, 3, 2, 2), randCBatch(rng, 1, 4, 2), randCBatch(rng, 1, 4, 2), { activation: 'tanh' }), /activation = "tanh"/],
    ['W shape', () => computeUpdate({ name: 'bptt' }, { ...p, W: mat(3, 2) }, x, y), /W is 3×2, expected a square/],
  ];
  for (const [name, f, re] of cases) it(name, () => expect(f).toThrow(re));
  it('a terminal-only target (B, 1, O) equals the full target for the terminal loss', () => {
    const last: AnySeqBatch = { batch: 1, steps: 1, dim: 2, data: y.data.slice(6, 8) };
    expect(flat(computeUpdate({ name: 'bptt' }, p, x, last).dW)).toEqual(flat(computeUpdate({ name: 'bptt' }, p, x, y).dW));
  });
});

describe('rule specs given by plain-JS callers', () => {
  it('a bare rule name is refused with a clear message instead of a TypeError', () => {
    const params = { W: mat(2, 2), U: mat(2, 1), V: mat(1, 2) };
    expect(() => computeUpdate('rflo' as never, params, { batch: 1, steps: 3, dim: 1, data: new Float64Array(3) }, { batch: 1, steps: 3, dim: 1, data: new Float64Array(3) }))
      .toThrow(/computeUpdate: rule = "rflo": expected a rule spec object such as \{name: "rflo", alpha: 0\.5, B\}/);
  });
});
