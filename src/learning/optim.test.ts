// Tests of the optimizers against hand-computed steps (values computed separately in double precision).
import { describe, expect, it } from 'vitest';
import { adam, applyUpdates, clipByGlobalNorm, createOptimizer, globalNorm, momentum, sgd, type Leaves } from './optim.js';

const f = (...v: number[]): Float64Array => Float64Array.from(v);

describe('optimizers', () => {
  it('SGD: u = −lr·g', () => {
    const o = sgd({ lr: 0.1 });
    const r = o.update({ a: f(0.5, -1) }, o.init({ a: f(1, 2) }), { a: f(1, 2) });
    expect(Array.from(r.updates['a']!)).toEqual([-0.05, 0.1]);
    expect(r.state.step).toBe(1);
  });
  it('heavy-ball momentum: v₁ = g₁, v₂ = β v₁ + g₂', () => {
    const o = momentum({ lr: 0.5, beta: 0.9 });
    const p = { a: f(0) };
    const s1 = o.update({ a: f(2) }, o.init(p), p);
    expect(s1.updates['a']![0]).toBe(-1);
    const s2 = o.update({ a: f(-1) }, s1.state, p);
    expect(s2.updates['a']![0]).toBeCloseTo(-0.5 * (0.9 * 2 - 1), 15);
  });
  it('Adam with β1 = 0.9, β2 = 0.999, ε = 1e-8: three steps match the hand computation to 1e-15 relative', () => {
    const o = adam({ lr: 0.01 });
    const p = { a: f(0) };
    let s = o.init(p);
    const want = [-0.009999999800000003, 0.0036610352240565376, 0.0013669066098410808];
    [0.5, -1.0, 0.25].forEach((g, k) => {
      const r = o.update({ a: f(g) }, s, p);
      expect(Math.abs(r.updates['a']![0]! - want[k]!) / Math.abs(want[k]!)).toBeLessThan(1e-14);
      s = r.state;
    });
    expect(s.step).toBe(3);
  });
  it('AdamW (decoupled weight decay) and coupled L2 weight decay for SGD', () => {
    const aw = adam({ lr: 0.1, weightDecay: 0.01, decoupled: true });
    const p = { a: f(2) };
    expect(aw.update({ a: f(0.5) }, aw.init(p), p).updates['a']![0]).toBeCloseTo(-0.10199999800000004, 15);
    const s = sgd({ lr: 0.1, weightDecay: 0.5 });
    expect(s.update({ a: f(1) }, s.init(p), p).updates['a']![0]).toBeCloseTo(-0.2, 15); // g + wd·θ = 2
  });
  it('global-norm clipping scales all leaves together (‖(3, 4)‖ = 5 → 1), and leaves small gradients alone', () => {
    const g: Leaves = { a: f(3), b: f(4) };
    expect(globalNorm(g)).toBe(5);
    const c = clipByGlobalNorm(g, 1);
    expect(c.norm).toBe(5);
    expect([c.grads['a']![0], c.grads['b']![0]]).toEqual([0.6000000000000001, 0.8]);
    expect(Array.from(clipByGlobalNorm(g, 10).grads['a']!)).toEqual([3]);
    const o = sgd({ lr: 1, clipNorm: 1 });
    const p = { a: f(0), b: f(0) };
    const u = o.update(g, o.init(p), p).updates;
    expect([u['a']![0], u['b']![0]]).toEqual([-0.6000000000000001, -0.8]);
  });
  it('update is pure: inputs and the old state are not modified', () => {
    const o = adam({ lr: 0.1 });
    const p = { a: f(1, 2) }, g = { a: f(0.3, -0.2) };
    const s0 = o.init(p);
    const r = o.update(g, s0, p);
    expect(Array.from(p.a)).toEqual([1, 2]);
    expect(Array.from(g.a)).toEqual([0.3, -0.2]);
    expect(Array.from(s0.m['a']!)).toEqual([0, 0]);
    expect(r.state.m['a']).not.toBe(s0.m['a']);
    expect(Array.from(applyUpdates(p, r.updates)['a']!)).toEqual([1 + r.updates['a']![0]!, 2 + r.updates['a']![1]!]);
  });
  it('bad options name the field', () => {
    expect(() => sgd({ lr: 0 })).toThrow(/lr = 0: must be a finite number > 0/);
    expect(() => adam({ lr: 1, beta2: 1 })).toThrow(/beta2 = 1: must be a number in \[0, 1\)/);
    expect(() => momentum({ lr: 1, clipNorm: -1 })).toThrow(/clipNorm = -1/);
    expect(() => sgd({ lr: 1, weightDecay: -0.1 })).toThrow(/weightDecay = -0.1/);
    expect(() => createOptimizer({ name: 'rmsprop' } as never)).toThrow(/optimizer = "rmsprop"/);
  });
});
