// Tests of the pole parametrisations: gradients vs central finite differences, and vs dense complex BPTT.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { cmat, type CMat } from '../core/types.js';
import { lossAndGradient } from '../learning/bptt.js';
import { applyUpdates, sgd } from '../learning/optim.js';
import { initPoleModel, poleForward, poleFromLeaves, poleGradLeaves, poleLeaves, poleLossAndGradient, poleValues, type PoleModel } from './poles.js';
import { randBatch, randCBatch, relErr } from '../learning/test-util.js';
import type { AnySeqBatch, LossKind } from '../learning/types.js';

function fdLeaves(m: PoleModel, x: AnySeqBatch, y: AnySeqBatch, loss: LossKind, h = 1e-6): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [k, arr] of Object.entries(poleLeaves(m))) {
    const g = new Float64Array(arr.length);
    for (let i = 0; i < arr.length; i++) {
      const old = arr[i]!;
      arr[i] = old + h;
      const lp = poleLossAndGradient(m, x, y, { loss }).loss;
      arr[i] = old - h;
      const lm = poleLossAndGradient(m, x, y, { loss }).loss;
      arr[i] = old;
      g[i] = (lp - lm) / (2 * h);
    }
    out[k] = g;
  }
  return out;
}

describe('pole-model gradients vs central finite differences (h = 1e-6, rel 1e-6 of each leaf max)', () => {
  for (const kind of ['polar', 'lru'] as const) {
    for (const normalize of [false, true]) {
      for (const complexOut of [false, true]) {
        for (const loss of ['terminal', 'sequence-mean', 'sequence-sum'] as LossKind[]) {
          it(`${kind}, normalize ${normalize}, ${complexOut ? 'complex' : 'real'} targets, ${loss}`, () => {
            const rng = createRng(7);
            const m = initPoleModel(rng.child('m'), { kind, n: 4, nIn: 2, nOut: 2, rMin: 0.5, rMax: 0.95, normalize });
            const x = complexOut ? randCBatch(rng.child('x'), 3, 8, 2) : randBatch(rng.child('x'), 3, 8, 2);
            const y = complexOut ? randCBatch(rng.child('y'), 3, 8, 2) : randBatch(rng.child('y'), 3, 8, 2);
            const g = poleGradLeaves(m, poleLossAndGradient(m, x, y, { loss }).grads);
            const fd = fdLeaves(m, x, y, loss);
            for (const k of Object.keys(fd)) expect(relErr(g[k]!, fd[k]!), k).toBeLessThan(1e-6);
          });
        }
      }
    }
  }
});

describe('pole model = dense complex network with W = diag(λ), U = B, V = C (normalize off, complex targets)', () => {
  it('G_B = G_U, G_C = G_V and G_λ = diag(G_W) to rel 1e-12', () => {
    const rng = createRng(8);
    const m = initPoleModel(rng.child('m'), { kind: 'polar', n: 3, nIn: 2, nOut: 2, normalize: false });
    const x = randCBatch(rng.child('x'), 2, 6, 2), y = randCBatch(rng.child('y'), 2, 6, 2);
    const pg = poleLossAndGradient(m, x, y, { loss: 'sequence-mean' });
    const { lambda } = poleValues(m);
    const W = cmat(3, 3);
    for (let i = 0; i < 3; i++) { W.re[i * 4] = lambda.re[i]!; W.im[i * 4] = lambda.im[i]!; }
    const dg = lossAndGradient({ W, U: m.B, V: m.C }, x, y, { loss: 'sequence-mean' });
    expect(relErr([pg.loss], [dg.loss])).toBeLessThan(1e-13);
    const GU = dg.grads.dU as CMat, GV = dg.grads.dV as CMat, GW = dg.grads.dW as CMat;
    expect(relErr(pg.grads.B.re, GU.re)).toBeLessThan(1e-12);
    expect(relErr(pg.grads.B.im, GU.im)).toBeLessThan(1e-12);
    expect(relErr(pg.grads.C.re, GV.re)).toBeLessThan(1e-12);
    expect(relErr(pg.grads.C.im, GV.im)).toBeLessThan(1e-12);
    // polar chain rule back to G_λ: ∂L/∂r = Re(conj(G) e^{iθ}), ∂L/∂θ = Re(conj(G) iλ)
    for (let i = 0; i < 3; i++) {
      const gr = GW.re[i * 4]!, gi = GW.im[i * 4]!, th = m.theta[i]!;
      expect(relErr([pg.grads.a[i]!, pg.grads.theta[i]!], [gr * Math.cos(th) + gi * Math.sin(th), gi * lambda.re[i]! - gr * lambda.im[i]!])).toBeLessThan(1e-12);
    }
  });
});

describe('pole models with the optimizers', () => {
  it('SGD on an LRU model lowers the loss against an LRU teacher and keeps |λ| < 1 (guaranteed by the parametrisation)', () => {
    const rng = createRng(9);
    const teacher = initPoleModel(rng.child('t'), { kind: 'lru', n: 2, nIn: 1, nOut: 1, rMin: 0.6, rMax: 0.9 });
    let m = initPoleModel(rng.child('s'), { kind: 'lru', n: 4, nIn: 1, nOut: 1 });
    const x = randBatch(rng.child('x'), 16, 20, 1);
    const y = poleForward(teacher, x, 'real');
    const opt = sgd({ lr: 0.05 });
    let st = opt.init(poleLeaves(m));
    const l0 = poleLossAndGradient(m, x, y, { loss: 'sequence-mean' }).loss;
    for (let k = 0; k < 50; k++) {
      const r = poleLossAndGradient(m, x, y, { loss: 'sequence-mean' });
      const u = opt.update(poleGradLeaves(m, r.grads), st, poleLeaves(m));
      st = u.state;
      m = poleFromLeaves(m, applyUpdates(poleLeaves(m), u.updates));
    }
    const l1 = poleLossAndGradient(m, x, y, { loss: 'sequence-mean' }).loss;
    expect(l1).toBeLessThan(0.5 * l0);
    expect(poleLossAndGradient(teacher, x, y, { loss: 'sequence-mean' }).loss).toBe(0);
    const { lambda } = poleValues(m);
    for (let i = 0; i < 4; i++) expect(Math.hypot(lambda.re[i]!, lambda.im[i]!)).toBeLessThan(1);
  });
  it('input errors name the field', () => {
    const rng = createRng(10);
    const m = initPoleModel(rng, { kind: 'polar', n: 2, nIn: 1, nOut: 1 });
    const x = randBatch(rng, 1, 3, 1);
    expect(() => poleLossAndGradient({ ...m, B: cmat(3, 1) } as PoleModel, x, x)).toThrow(/B is 3×1, expected 2 rows/);
    expect(() => poleLossAndGradient({ ...m, r: Float64Array.of(0.5, 1.2), normalize: true } as PoleModel, x, x)).toThrow(/r\[1\] = 1.2/);
    expect(() => poleLossAndGradient(m, randBatch(rng, 1, 3, 2), x)).toThrow(/x has 2 input columns/);
  });
});

