// Tests of the pole parametrisations: gradients vs central finite differences, vs dense complex BPTT, and vs each other.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { cmat, type CMat } from '../core/types.js';
import { lossAndGradient } from '../learning/bptt.js';
import { applyUpdates, sgd } from '../learning/optim.js';
import { initPoleModel, poleForward, poleFromLeaves, poleGradLeaves, poleLeaves, poleLossAndGradient, poleValues, type PoleModel } from './poles.js';
import { randBatch, randCBatch, relErr } from '../learning/test-util.js';
import { InputError } from '../core/errors.js';
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
  for (const kind of ['polar', 'lru', 'cartesian'] as const) {
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
    if (m.kind !== 'polar') throw new Error('expected a polar model');
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
    // Cartesian: the parameters are Re λ, Im λ themselves, so (∂L/∂re, ∂L/∂im) = (Re, Im) of diag(G_W)
    const mc = initPoleModel(rng.child('m'), { kind: 'cartesian', n: 3, nIn: 2, nOut: 2, normalize: false });
    const { lambda: lc } = poleValues(mc);
    for (let i = 0; i < 3; i++) { W.re[i * 4] = lc.re[i]!; W.im[i * 4] = lc.im[i]!; }
    const dc = lossAndGradient({ W, U: mc.B, V: mc.C }, x, y, { loss: 'sequence-mean' });
    const cg = poleLossAndGradient(mc, x, y, { loss: 'sequence-mean' }).grads, GWc = dc.grads.dW as CMat;
    expect(relErr(cg.a, [0, 1, 2].map((i) => GWc.re[i * 4]!))).toBeLessThan(1e-12);
    expect(relErr(cg.theta, [0, 1, 2].map((i) => GWc.im[i * 4]!))).toBeLessThan(1e-12);
  });
});

describe('the three parametrisations of the same poles (polar, LRU, Cartesian)', () => {
  // One rng gives the three kinds the same draws: identical B, C and poles equal to rounding (cos/sin, exp/log).
  // The losses then agree to 1e-13 relative (a few ulps of the poles through a T = 10 recursion), and the polar
  // and LRU gradients follow from the Cartesian ones by the chain rule through λ(r, θ) and λ(ν, θ) written here:
  // ∂L/∂r = g·e^{iθ}, ∂L/∂θ = g·(iλ) (polar); ∂L/∂ν = g·(−e^ν λ), ∂L/∂θ = g·(i e^θ λ) (LRU), with
  // g·z = Re(conj(g) z) and g = ∂L/∂re + i ∂L/∂im. γ depends on |λ| only, so the relation holds with normalize too.
  for (const normalize of [false, true]) {
    for (const complexOut of [false, true]) {
      it(`same loss and chain-rule-related gradients (normalize ${normalize}, ${complexOut ? 'complex' : 'real'} targets; rel 1e-10)`, () => {
        const rng = createRng(21);
        const o = { n: 4, nIn: 2, nOut: 2, rMin: 0.3, rMax: 0.9, normalize };
        const mp = initPoleModel(rng.child('m'), { kind: 'polar', ...o });
        const ml = initPoleModel(rng.child('m'), { kind: 'lru', ...o });
        const mc = initPoleModel(rng.child('m'), { kind: 'cartesian', ...o });
        if (mp.kind !== 'polar' || ml.kind !== 'lru' || mc.kind !== 'cartesian') throw new Error('unexpected kinds');
        expect(Array.from(mc.B.re)).toEqual(Array.from(mp.B.re));
        expect(Array.from(ml.C.im)).toEqual(Array.from(mp.C.im));
        const lp = poleValues(mp).lambda, ll = poleValues(ml).lambda, lc = poleValues(mc).lambda;
        expect(relErr(lc.re, lp.re)).toBeLessThan(1e-15);
        expect(relErr(lc.im, lp.im)).toBeLessThan(1e-15);
        expect(relErr(ll.re, lp.re)).toBeLessThan(1e-13);
        expect(relErr(ll.im, lp.im)).toBeLessThan(1e-13);
        const x = complexOut ? randCBatch(rng.child('x'), 3, 10, 2) : randBatch(rng.child('x'), 3, 10, 2);
        const y = complexOut ? randCBatch(rng.child('y'), 3, 10, 2) : randBatch(rng.child('y'), 3, 10, 2);
        const rp = poleLossAndGradient(mp, x, y, { loss: 'sequence-mean' });
        const rl = poleLossAndGradient(ml, x, y, { loss: 'sequence-mean' });
        const rc = poleLossAndGradient(mc, x, y, { loss: 'sequence-mean' });
        expect(relErr([rp.loss, rl.loss], [rc.loss, rc.loss])).toBeLessThan(1e-13);
        const dot = (gr: number, gi: number, zr: number, zi: number): number => gr * zr + gi * zi;
        const ePr: number[] = [], ePt: number[] = [], eLn: number[] = [], eLt: number[] = [];
        for (let i = 0; i < 4; i++) {
          const gr = rc.grads.a[i]!, gi = rc.grads.theta[i]!, th = mp.theta[i]!, lr = lc.re[i]!, li = lc.im[i]!;
          ePr.push(dot(gr, gi, Math.cos(th), Math.sin(th)));
          ePt.push(dot(gr, gi, -li, lr));
          const en = Math.exp(ml.nu[i]!), et = Math.exp(ml.theta[i]!);
          eLn.push(dot(gr, gi, -en * lr, -en * li));
          eLt.push(dot(gr, gi, -et * li, et * lr));
        }
        expect(relErr(rp.grads.a, ePr)).toBeLessThan(1e-10);
        expect(relErr(rp.grads.theta, ePt)).toBeLessThan(1e-10);
        expect(relErr(rl.grads.a, eLn)).toBeLessThan(1e-10);
        expect(relErr(rl.grads.theta, eLt)).toBeLessThan(1e-10);
        // B and C gradients do not depend on the parametrisation
        expect(relErr(rc.grads.B.re, rp.grads.B.re)).toBeLessThan(1e-12);
        expect(relErr(rc.grads.C.im, rl.grads.C.im)).toBeLessThan(1e-12);
      });
    }
  }
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
  it('Cartesian bad inputs: |λ| >= 1 with normalize, mismatched lengths, non-finite parts, unknown kind, missing leaves', () => {
    const rng = createRng(12);
    const m = initPoleModel(rng, { kind: 'cartesian', n: 2, nIn: 1, nOut: 1 });
    if (m.kind !== 'cartesian') throw new Error('expected a Cartesian model');
    const x = randBatch(rng, 1, 3, 1);
    const big = { ...m, re: Float64Array.of(0.6, 0.8), im: Float64Array.of(0, 0.6), normalize: true };
    expect(() => poleLossAndGradient(big, x, x)).toThrow(InputError);
    expect(() => poleLossAndGradient(big, x, x)).toThrow(/^poleLossAndGradient: re\[1\] = 0.8, im\[1\] = 0.6: \|λ\| = 1: .*needs \|λ\| < 1/);
    expect(() => poleValues(big)).toThrow(/needs \|λ\| < 1/);
    // without normalisation any finite pole is accepted (γ = 1), e.g. an unstable one
    expect(Number.isFinite(poleLossAndGradient({ ...big, normalize: false }, x, x).loss)).toBe(true);
    expect(() => poleLossAndGradient({ ...m, im: Float64Array.of(0.1) }, x, x)).toThrow(/^poleLossAndGradient: re has length 2, im has 1/);
    expect(() => poleLossAndGradient({ ...m, im: Float64Array.of(0.1, NaN) }, x, x)).toThrow(/re\[1\] or im\[1\] is not finite/);
    expect(() => poleLossAndGradient({ ...m, im: [0.1, 0.2] } as unknown as PoleModel, x, x)).toThrow(/^poleLossAndGradient: im = \[0.1,0.2\]: must be a Float64Array/);
    expect(() => poleLossAndGradient({ ...m, kind: 'rect' } as unknown as PoleModel, x, x)).toThrow(/kind = "rect": must be one of "polar", "lru", "cartesian"/);
    expect(() => initPoleModel(rng, { kind: 'rect' as 'polar', n: 2, nIn: 1, nOut: 1 })).toThrow(/^initPoleModel: kind = "rect"/);
    const leaves = poleLeaves(m);
    expect(Object.keys(leaves)).toEqual(['re', 'im', 'B.re', 'B.im', 'C.re', 'C.im']);
    const { im: _drop, ...noIm } = leaves;
    expect(() => poleFromLeaves(m, noIm)).toThrow(/^poleFromLeaves: leaves.im = undefined/);
  });
  it('SGD on a Cartesian model lowers the loss against a polar teacher; poleFromLeaves keeps the kind and the normalisation', () => {
    const rng = createRng(13);
    const teacher = initPoleModel(rng.child('t'), { kind: 'polar', n: 2, nIn: 1, nOut: 1, rMin: 0.6, rMax: 0.9 });
    let m = initPoleModel(rng.child('s'), { kind: 'cartesian', n: 4, nIn: 1, nOut: 1, rMax: 0.8 });
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
    expect(m.kind).toBe('cartesian');
    expect(m.normalize).toBe(true);
    expect(poleLossAndGradient(m, x, y, { loss: 'sequence-mean' }).loss).toBeLessThan(0.5 * l0);
  });
});

