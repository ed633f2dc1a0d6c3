import { describe, expect, it } from 'vitest';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, mat, type CMat, type CVec, type Mat, type Vec } from '../core/types.js';
import { expectClose, randCMat, randMat, testRng } from '../../test/helpers.js';
import {
  asComplexRnn, realEmbeddingRnn, rollout, stackReIm, step, unstackReIm,
  type ComplexRnn, type Rnn,
} from './rnn.js';

// Reference: a direct loop written independently of the kernel (input term first, then the recurrent term,
// then the leak), h_0 = h0 or 0. States are O(1) and the loops differ only in summation order, so 1e-13
// absolute is a few hundred ulps of slack over T ≤ 50 steps of a contracting map.
const TOL = { rtol: 0, atol: 1e-13 };

function handLoop(net: Rnn, x: Mat, h0?: Vec): { states: Mat; outputs?: Mat } {
  const n = net.W.rows, I = net.U.cols, T = x.rows, a = net.leakRate;
  let h = h0 ? Float64Array.from(h0) : new Float64Array(n);
  const states = mat(T, n);
  for (let t = 0; t < T; t++) {
    const next = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let u = 0;
      for (let j = 0; j < I; j++) u += net.U.data[i * I + j]! * x.data[t * I + j]!;
      let w = 0;
      for (let j = 0; j < n; j++) w += net.W.data[i * n + j]! * h[j]!;
      const pre = u + w + (net.bias ? net.bias[i]! : 0);
      const act = net.activation === 'tanh' ? Math.tanh(pre) : pre;
      next[i] = (1 - a) * h[i]! + a * act;
    }
    h = next;
    states.data.set(h, t * n);
  }
  if (!net.V) return { states };
  const o = net.V.rows, outputs = mat(T, o);
  for (let t = 0; t < T; t++) for (let r = 0; r < o; r++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += net.V.data[r * n + j]! * states.data[t * n + j]!;
    outputs.data[t * o + r] = s;
  }
  return { states, outputs };
}

function handLoopComplex(net: ComplexRnn, x: CMat, h0?: CVec): { states: CMat; outputs?: CMat } {
  const n = net.W.rows, I = net.U.cols, T = x.rows, a = net.leakRate;
  let hr = h0 ? Float64Array.from(h0.re) : new Float64Array(n), hi = h0 ? Float64Array.from(h0.im) : new Float64Array(n);
  const states = cmat(T, n);
  for (let t = 0; t < T; t++) {
    const nr = new Float64Array(n), ni = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let pr = net.bias ? net.bias.re[i]! : 0, pi = net.bias ? net.bias.im[i]! : 0;
      for (let j = 0; j < I; j++) {
        const ur = net.U.re[i * I + j]!, ui = net.U.im[i * I + j]!, xr = x.re[t * I + j]!, xi = x.im[t * I + j]!;
        pr += ur * xr - ui * xi; pi += ur * xi + ui * xr;
      }
      for (let j = 0; j < n; j++) {
        const wr = net.W.re[i * n + j]!, wi = net.W.im[i * n + j]!;
        pr += wr * hr[j]! - wi * hi[j]!; pi += wr * hi[j]! + wi * hr[j]!;
      }
      nr[i] = (1 - a) * hr[i]! + a * pr;
      ni[i] = (1 - a) * hi[i]! + a * pi;
    }
    hr = nr; hi = ni;
    states.re.set(hr, t * n); states.im.set(hi, t * n);
  }
  if (!net.V) return { states };
  const o = net.V.rows, outputs = cmat(T, o);
  for (let t = 0; t < T; t++) for (let r = 0; r < o; r++) {
    let sr = 0, si = 0;
    for (let j = 0; j < n; j++) {
      const vr = net.V.re[r * n + j]!, vi = net.V.im[r * n + j]!, a2 = states.re[t * n + j]!, b2 = states.im[t * n + j]!;
      sr += vr * a2 - vi * b2; si += vr * b2 + vi * a2;
    }
    outputs.re[t * o + r] = sr; outputs.im[t * o + r] = si;
  }
  return { states, outputs };
}

/** A real network with ‖W‖ small enough to contract (entries N(0, 0.3²/N)). */
function realNet(seed: number, n: number, I: number, extra: Partial<Rnn> = {}): Rnn {
  const r = testRng(seed);
  return { W: randMat(r, n, n, 0.3 / Math.sqrt(n)), U: randMat(r, n, I), activation: 'identity', leakRate: 1, ...extra };
}

function complexNet(seed: number, n: number, I: number, extra: Partial<ComplexRnn> = {}): ComplexRnn {
  const r = testRng(seed);
  return { W: randCMat(r, n, n, 0.3 / Math.sqrt(n)), U: randCMat(r, n, I), activation: 'identity', leakRate: 1, ...extra };
}

describe('rollout (real)', () => {
  const r = testRng(1);
  const x = randMat(r, 40, 3);
  const V = randMat(r, 2, 6);
  const bias = r.fillNormal(new Float64Array(6), 0.5);
  const h0 = r.fillNormal(new Float64Array(6));
  const cases: Array<[string, Partial<Rnn>, Vec | undefined]> = [
    ['linear', {}, undefined],
    ['tanh', { activation: 'tanh' }, undefined],
    ['leaky tanh with bias', { activation: 'tanh', leakRate: 0.3, bias }, undefined],
    ['linear, leaky, bias, V, h0', { leakRate: 0.7, bias, V }, h0],
    ['tanh with V and h0', { activation: 'tanh', V }, h0],
  ];
  for (const [label, extra, init] of cases) {
    it(`matches a direct loop: ${label}`, () => {
      const net = realNet(2, 6, 3, extra);
      const got = rollout(net, x, init ? { h0: init } : {});
      const ref = handLoop(net, x, init);
      expectClose(got.states.data, ref.states.data, TOL, 'states');
      expect(got.outputs === undefined).toBe(ref.outputs === undefined);
      if (ref.outputs) expectClose(got.outputs!.data, ref.outputs.data, TOL, 'outputs');
    });
  }

  it('batched rollout equals per-sequence rollouts (shared and per-sequence h0)', () => {
    const net = realNet(3, 5, 2, { activation: 'tanh', leakRate: 0.5, V: randMat(testRng(4), 3, 5) });
    const B = 3, T = 25;
    const xb = randMat(testRng(5), B * T, 2);
    const h0s = randMat(testRng(6), B, 5);
    const batch = { batch: B, steps: T, dim: 2, data: xb.data };
    const shared = rollout(net, batch, { h0: h0s.data.subarray(0, 5) });
    const per = rollout(net, batch, { h0: h0s });
    expect(per.states.batch).toBe(B);
    expect(per.outputs!.dim).toBe(3);
    for (let b = 0; b < B; b++) {
      const xs = mat(T, 2, xb.data.slice(b * T * 2, (b + 1) * T * 2));
      const one = handLoop(net, xs, h0s.data.slice(b * 5, (b + 1) * 5));
      expectClose(per.states.data.subarray(b * T * 5, (b + 1) * T * 5), one.states.data, TOL, `states[${b}]`);
      expectClose(per.outputs!.data.subarray(b * T * 3, (b + 1) * T * 3), one.outputs!.data, TOL, `outputs[${b}]`);
      const oneShared = handLoop(net, xs, h0s.data.slice(0, 5));
      expectClose(shared.states.data.subarray(b * T * 5, (b + 1) * T * 5), oneShared.states.data, TOL, `shared[${b}]`);
    }
  });

  it('step() in a caller-owned loop reproduces rollout', () => {
    const net = realNet(7, 4, 2, { activation: 'tanh', leakRate: 0.4, bias: new Float64Array([0.1, -0.2, 0.3, 0]) });
    const x = randMat(testRng(8), 30, 2);
    const ref = rollout(net, x).states;
    let h: Vec = new Float64Array(4), next: Vec = new Float64Array(4);
    for (let t = 0; t < 30; t++) {
      step(net, h, x.data.subarray(t * 2, t * 2 + 2), next);
      expectClose(next, ref.data.subarray(t * 4, t * 4 + 4), TOL, `h_${t + 1}`);
      [h, next] = [next, h];
    }
  });

  it('does not mutate its inputs', () => {
    const net = realNet(9, 4, 2, { activation: 'tanh', V: randMat(testRng(10), 1, 4) });
    const x = randMat(testRng(11), 10, 2);
    const h0 = new Float64Array([1, 2, 3, 4]);
    const copies = [net.W.data, net.U.data, net.V!.data, x.data, h0].map((a) => Float64Array.from(a));
    rollout(net, x, { h0 });
    [net.W.data, net.U.data, net.V!.data, x.data, h0].forEach((a, i) => expect(a).toEqual(copies[i]));
  });
});

describe('rollout (complex)', () => {
  const r = testRng(20);
  const x = randCMat(r, 30, 2);
  const h0 = { re: r.fillNormal(new Float64Array(4)), im: r.fillNormal(new Float64Array(4)) };
  const bias = { re: r.fillNormal(new Float64Array(4), 0.3), im: r.fillNormal(new Float64Array(4), 0.3) };

  it('matches a direct complex loop (leak, bias, V, h0)', () => {
    const net = complexNet(21, 4, 2, { leakRate: 0.6, bias, V: randCMat(testRng(22), 3, 4) });
    const got = rollout(net, x, { h0 });
    const ref = handLoopComplex(net, x, h0);
    expectClose(got.states.re, ref.states.re, TOL, 'Re states');
    expectClose(got.states.im, ref.states.im, TOL, 'Im states');
    expectClose(got.outputs!.re, ref.outputs!.re, TOL, 'Re outputs');
    expectClose(got.outputs!.im, ref.outputs!.im, TOL, 'Im outputs');
  });

  it('equals the rollout of its real embedding', () => {
    const net = complexNet(23, 4, 2, { leakRate: 0.8, bias, V: randCMat(testRng(24), 2, 4) });
    const c = rollout(net, x, { h0 });
    const e = rollout(realEmbeddingRnn(net), stackReIm(x), { h0: Float64Array.from([...h0.re, ...h0.im]) });
    const back = unstackReIm(e.states), yBack = unstackReIm(e.outputs!);
    expectClose(back.re, c.states.re, TOL, 'Re h');
    expectClose(back.im, c.states.im, TOL, 'Im h');
    expectClose(yBack.re, c.outputs!.re, TOL, 'Re y');
    expectClose(yBack.im, c.outputs!.im, TOL, 'Im y');
  });

  it('accepts real input (zero imaginary part) and batches', () => {
    const net = complexNet(25, 3, 2);
    const xr = randMat(testRng(26), 20, 2);
    const viaReal = rollout(net, xr);
    const viaComplex = rollout(net, cmat(20, 2, Float64Array.from(xr.data), new Float64Array(40)));
    expect(viaReal.states.re).toEqual(viaComplex.states.re);
    expect(viaReal.states.im).toEqual(viaComplex.states.im);
    const xb = randCMat(testRng(27), 2 * 10, 2);
    const batch = rollout(net, { batch: 2, steps: 10, dim: 2, re: xb.re, im: xb.im });
    for (let b = 0; b < 2; b++) {
      const one = handLoopComplex(net, cmat(10, 2, xb.re.slice(b * 20, b * 20 + 20), xb.im.slice(b * 20, b * 20 + 20)));
      expectClose(batch.states.re.subarray(b * 30, b * 30 + 30), one.states.re, TOL, `Re[${b}]`);
      expectClose(batch.states.im.subarray(b * 30, b * 30 + 30), one.states.im, TOL, `Im[${b}]`);
    }
  });

  it('complex step() reproduces rollout', () => {
    const net = complexNet(28, 3, 2, { leakRate: 0.5, bias: { re: new Float64Array([0.1, 0, 0.2]), im: new Float64Array([0, -0.1, 0.3]) } });
    const ref = rollout(net, x).states;
    let h = { re: new Float64Array(3), im: new Float64Array(3) }, next = { re: new Float64Array(3), im: new Float64Array(3) };
    for (let t = 0; t < x.rows; t++) {
      step(net, h, { re: x.re.subarray(t * 2, t * 2 + 2), im: x.im.subarray(t * 2, t * 2 + 2) }, next);
      expectClose(next.re, ref.re.subarray(t * 3, t * 3 + 3), TOL, `Re h_${t + 1}`);
      expectClose(next.im, ref.im.subarray(t * 3, t * 3 + 3), TOL, `Im h_${t + 1}`);
      [h, next] = [next, h];
    }
  });

  it('asComplexRnn reproduces the real linear network', () => {
    const net = realNet(29, 4, 2, { leakRate: 0.9, bias: new Float64Array([1, 0, -1, 0.5]), V: randMat(testRng(30), 2, 4) });
    const xr = randMat(testRng(31), 15, 2);
    const a = rollout(net, xr), b = rollout(asComplexRnn(net), xr);
    expectClose(b.states.re, a.states.data, TOL, 'Re h');
    expect(Array.from(b.states.im).every((v) => v === 0)).toBe(true);
    expectClose(b.outputs!.re, a.outputs!.data, TOL, 'Re y');
  });
});

describe('rollout validation', () => {
  const x = randMat(testRng(40), 5, 2);
  it('refuses complex + tanh with a clear InputError', () => {
    const net = { ...complexNet(41, 3, 2), activation: 'tanh' } as unknown as ComplexRnn;
    expect(() => rollout(net, x)).toThrow(InputError);
    expect(() => rollout(net, x)).toThrow(/activation = "tanh": complex networks support only 'identity' \(tanh is real-only\)/);
    expect(() => asComplexRnn(realNet(41, 3, 2, { activation: 'tanh' }))).toThrow(/tanh is real-only/);
  });
  it('names bad fields and shapes', () => {
    expect(() => rollout(realNet(42, 3, 2, { leakRate: 0 }), x)).toThrow('rollout: leakRate = 0: must be a number in (0, 1]');
    expect(() => rollout(realNet(42, 3, 3), x)).toThrow(ShapeError);
    expect(() => rollout(realNet(42, 3, 3), x)).toThrow('rollout: x has dimension 2 per step, expected 3 (= U is 3×3)');
    expect(() => rollout(realNet(42, 3, 2, { V: mat(1, 2) }), x)).toThrow('rollout: V is 1×2, expected 3 columns (= W is 3×3)');
    expect(() => rollout(realNet(42, 3, 2), x, { h0: new Float64Array(2) })).toThrow('rollout: h0 has length 2, expected 3 (= N)');
    expect(() => rollout(realNet(42, 3, 2), randCMat(testRng(1), 5, 2) as unknown as Mat)).toThrow(/x is complex but the network is real/);
    const bad = mat(5, 2, Float64Array.from(x.data));
    bad.data[7] = NaN;
    expect(() => rollout(realNet(42, 3, 2), bad)).toThrow('rollout: x has a non-finite value (NaN) at row 3, column 1: must be finite');
    expect(() => step(realNet(42, 3, 2), new Float64Array(3), new Float64Array(2), new Float64Array(2))).toThrow(ShapeError);
  });
});

describe('rollout into caller storage (out)', () => {
  it('writes the states into `out` (real and complex), equal to a fresh rollout, and checks its length', () => {
    const x = randMat(testRng(50), 7, 2);
    const net = realNet(51, 4, 2, { activation: 'tanh' });
    const buf = new Float64Array(7 * 4).fill(99);
    const r = rollout(net, x, { out: buf });
    expect(r.states.data).toBe(buf);
    expect(Array.from(buf)).toEqual(Array.from(rollout(net, x).states.data));
    expect(() => rollout(net, x, { out: new Float64Array(5) })).toThrow('rollout: out must be a Float64Array of length B·T·N = 28');
    const c = complexNet(52, 3, 2);
    const cb = { re: new Float64Array(21), im: new Float64Array(21) };
    const rc = rollout(c, x, { out: cb });
    expect(rc.states.re).toBe(cb.re);
    expect(Array.from(cb.im)).toEqual(Array.from(rollout(c, x).states.im));
  });
});
