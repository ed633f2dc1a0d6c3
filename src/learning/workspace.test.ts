// Tests of the reused learning workspace: bit-identical results whatever the pool holds (stale data of other
// shapes, NaN poison, a busy pool), caller-owned results, re-entrancy, release after errors, and the memory it keeps.
import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { isCMat, mat, type AnyMat } from '../core/types.js';
import { lossAndGradient } from './bptt.js';
import { evaluateLoss, forwardPass, networkOutputs, prepareNet } from './losses.js';
import { computeUpdate } from './rules.js';
import { randBatch, randCBatch, randCNet, randNet } from './test-util.js';
import type { AnySeqBatch, LearningOptions, RnnParams, RuleSpec } from './types.js';
import { SCRATCH_SLOTS, acquireScratch, releaseLearningWorkspace, withScratch } from './workspace.js';

/** Every array a call hands back, concatenated (loss first), for bitwise comparison. */
type Result = Float64Array[];

function arrays(m: AnyMat | undefined): Float64Array[] {
  if (m === undefined) return [new Float64Array(0)];
  return isCMat(m) ? [m.re, m.im] : [m.data];
}

function snapshot(r: Result): Result {
  return r.map((a) => Float64Array.from(a));
}

/** Bitwise equality (Object.is per element: distinguishes −0 and matches NaN only with NaN). */
function sameBits(a: Result, b: Result, label: string): void {
  expect(a.length, label).toBe(b.length);
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!, y = b[k]!;
    expect(x.length, `${label} [${k}] length`).toBe(y.length);
    for (let i = 0; i < x.length; i++) {
      if (!Object.is(x[i], y[i])) throw new Error(`${label}: array ${k} entry ${i}: ${x[i]} vs ${y[i]}`);
    }
  }
}

interface Case {
  readonly label: string;
  run(): Result;
}

/** Calls of every batched entry point over several shapes, real/tanh/complex, all rules, losses, freeze and h0. */
function makeCases(): Case[] {
  const out: Case[] = [];
  // shapes [N, I, O, B, T] in an order that grows and shrinks the pool
  const shapes: Array<[number, number, number, number, number]> = [[5, 2, 3, 4, 9], [12, 3, 2, 7, 20], [3, 1, 1, 2, 3], [8, 2, 2, 6, 15]];
  let c = 0;
  for (const [n, nIn, nOut, batch, steps] of shapes) {
    for (const kind of ['real', 'tanh', 'complex'] as const) {
      const complex = kind === 'complex';
      const loss = (['terminal', 'sequence-mean', 'sequence-sum'] as const)[c % 3]!;
      const rng = createRng(100 + c++);
      const p: RnnParams = complex ? randCNet(rng.child('p'), n, nIn, nOut) : randNet(rng.child('p'), n, nIn, nOut);
      // a real input batch for a complex network exercises the promoted (zero) imaginary part
      const x: AnySeqBatch = complex && c % 2 === 0 ? randBatch(rng.child('x'), batch, steps, nIn)
        : complex ? randCBatch(rng.child('x'), batch, steps, nIn) : randBatch(rng.child('x'), batch, steps, nIn);
      const ySteps = loss === 'terminal' && c % 2 === 1 ? 1 : steps;
      const y: AnySeqBatch = complex ? randCBatch(rng.child('y'), batch, ySteps, nOut) : randBatch(rng.child('y'), batch, ySteps, nOut);
      const h0 = c % 4 === 1 ? (complex ? { re: rng.fillNormal(new Float64Array(n)), im: rng.fillNormal(new Float64Array(n)) } : rng.fillNormal(new Float64Array(n))) : undefined;
      const opts: LearningOptions = {
        loss, activation: kind === 'tanh' ? 'tanh' : 'identity', eta: 0.3,
        ...(h0 !== undefined && { h0 }), ...(c % 3 === 2 && { freeze: { U: true } }),
      };
      const B = mat(n, nOut, rng.child('B').fillNormal(new Float64Array(n * nOut), 0.3));
      const rules: RuleSpec[] = [{ name: 'bptt' }, { name: 'tbptt', tau: 3 }, { name: 'rtrl' }];
      if (!complex) {
        rules.push({ name: 'rflo', alpha: 0.5, B }, { name: 'random-diagonal', D: rng.child('D').fillUniform(new Float64Array(n), 0, 0.9), B },
          { name: 'eprop', feedback: 'VT' });
      }
      const tag = `N${n} B${batch} T${steps} ${kind} ${loss}`;
      for (const rule of rules) {
        out.push({ label: `${tag} ${rule.name}`, run: () => {
          const u = computeUpdate(rule, p, x, y, opts);
          return [Float64Array.of(u.loss), ...arrays(u.dW), ...arrays(u.dU), ...arrays(u.dV)];
        } });
      }
      out.push({ label: `${tag} lossAndGradient`, run: () => {
        const g = lossAndGradient(p, x, y, opts);
        return [Float64Array.of(g.loss), ...arrays(g.grads.dW), ...arrays(g.grads.dU), ...arrays(g.grads.dV)];
      } });
      out.push({ label: `${tag} evaluateLoss`, run: () => [Float64Array.of(evaluateLoss(p, x, y, opts))] });
      out.push({ label: `${tag} networkOutputs`, run: () => {
        const o = networkOutputs(p, x, opts);
        return 'data' in o ? [o.data] : [o.re, o.im];
      } });
    }
  }
  return out;
}

/** Fills every slot of the pool with NaN over `len` doubles (any stale read then shows up in the results). */
function poison(len: number): void {
  withScratch((ws) => {
    for (const s of SCRATCH_SLOTS) ws.take(s, len).fill(NaN);
  });
}

afterEach(() => {
  releaseLearningWorkspace();
});

describe('results do not depend on what the workspace holds (bitwise)', () => {
  const cases = makeCases();
  // Baseline: an empty pool before every call, i.e. freshly allocated (zeroed) arrays as in a fresh process.
  const baseline = (): Result[] => cases.map((k) => {
    releaseLearningWorkspace();
    return snapshot(k.run());
  });

  it('stale data of other shapes (grow/shrink order, then reversed) and repeated calls', () => {
    const base = baseline();
    releaseLearningWorkspace();
    for (let pass = 0; pass < 2; pass++) {
      const order = pass === 0 ? cases.map((_, i) => i) : cases.map((_, i) => cases.length - 1 - i);
      for (const i of order) sameBits(cases[i]!.run(), base[i]!, `${cases[i]!.label} (pass ${pass})`);
    }
    // the same call twice in a row
    for (let i = 0; i < cases.length; i += 5) {
      cases[i]!.run();
      sameBits(cases[i]!.run(), base[i]!, `${cases[i]!.label} (repeated)`);
    }
  });

  it('a pool poisoned with NaN (every slot larger than any call needs)', () => {
    const base = baseline();
    for (let i = 0; i < cases.length; i++) {
      poison(1 << 14);
      sameBits(cases[i]!.run(), base[i]!, `${cases[i]!.label} (poisoned)`);
    }
  });

  it('a busy pool (re-entrant call): fresh arrays, same bits, the holder\'s arrays untouched', () => {
    const base = baseline();
    releaseLearningWorkspace();
    const outer = acquireScratch();
    try {
      const held = outer.take('H', 64).fill(7);
      for (let i = 0; i < cases.length; i++) sameBits(cases[i]!.run(), base[i]!, `${cases[i]!.label} (busy pool)`);
      expect(held.every((v) => v === 7)).toBe(true);
    } finally {
      outer.release();
    }
    // the inner calls retained nothing: only the holder's 64 doubles are in the pool
    expect(releaseLearningWorkspace()).toBe(64 * 8);
  });
});

describe('ownership and lifetime', () => {
  it('returned updates, gradients and outputs are not overwritten by later calls', () => {
    const rng = createRng(5);
    const p = randNet(rng.child('p'), 6, 2, 2), q = randNet(rng.child('q'), 6, 2, 2);
    const x = randBatch(rng.child('x'), 3, 10, 2), y = randBatch(rng.child('y'), 3, 10, 2);
    const opts: LearningOptions = { loss: 'sequence-mean' };
    const u = computeUpdate({ name: 'bptt' }, p, x, y, opts);
    const g = lossAndGradient(p, x, y, opts);
    const o = networkOutputs(p, x);
    const keep = snapshot([...arrays(u.dW), ...arrays(u.dU), ...arrays(u.dV), ...arrays(g.grads.dW), ...arrays(g.grads.dV), 'data' in o ? o.data : o.re]);
    // calls of the same shapes on another network reuse exactly the slots those results would live in
    computeUpdate({ name: 'bptt' }, q, x, y, opts);
    lossAndGradient(q, x, y, opts);
    networkOutputs(q, x);
    sameBits([...arrays(u.dW), ...arrays(u.dU), ...arrays(u.dV), ...arrays(g.grads.dW), ...arrays(g.grads.dV), 'data' in o ? o.data : o.re], keep, 'first results');
  });

  it('a call that throws inside the borrow releases the pool', () => {
    const rng = createRng(6);
    const p = randNet(rng.child('p'), 4, 1, 1);
    const x = randBatch(rng.child('x'), 2, 5, 1), y = randBatch(rng.child('y'), 2, 5, 1);
    const bad = mat(3, 1, new Float64Array(3)); // feedback B of the wrong shape: rejected after the forward pass
    expect(() => computeUpdate({ name: 'rflo', alpha: 0.5, B: bad }, p, x, y)).toThrow(/B is 3×1, expected N×O = 4×1/);
    releaseLearningWorkspace();
    computeUpdate({ name: 'bptt' }, p, x, y);
    // had the pool stayed busy, the call would have used fresh arrays and the pool would be empty
    expect(releaseLearningWorkspace()).toBeGreaterThan(0);
  });

  it('forwardPass hands the kernels Gy = 0 at the steps before the loss (terminal loss, poisoned pool)', () => {
    const rng = createRng(7);
    const p = randCNet(rng.child('p'), 3, 1, 2);
    const x = randCBatch(rng.child('x'), 2, 6, 1), y = randCBatch(rng.child('y'), 2, 1, 2);
    poison(256);
    withScratch((ws) => {
      const pass = forwardPass(prepareNet(p, {}, 'test'), x, y, 'terminal', 'test', ws);
      expect(pass.from).toBe(5);
      for (let b = 0; b < 2; b++) {
        for (let k = b * 12; k < b * 12 + 10; k++) {
          expect(pass.Gy[k]).toBe(0);
          expect(pass.Gyi![k]).toBe(0);
        }
        // the terminal step carries w·(y − y*) (w = 1), finite
        for (let k = b * 12 + 10; k < b * 12 + 12; k++) expect(Number.isFinite(pass.Gy[k]!)).toBe(true);
      }
    });
  });

  it('one slot cannot be handed out twice in one call, nor used after release', () => {
    const ws = acquireScratch();
    ws.take('H', 4);
    expect(() => ws.take('H', 4)).toThrow(/slot "H" handed out twice/);
    ws.release();
    expect(() => ws.zeros('Y', 4)).toThrow(/used after release/);
  });
});

describe('memory kept by the workspace', () => {
  // One real BPTT update with every block free keeps H (B·T·N), Y and Gy (B·T·O), the accumulators
  // (N² + N·I + O·N) and the BPTT work vector (2N): nothing else, 8 bytes each.
  const bpttBytes = (n: number, nIn: number, nOut: number, b: number, t: number): number =>
    8 * (b * t * n + 2 * b * t * nOut + n * n + n * nIn + nOut * n + 2 * n);

  it('holds exactly the largest call\'s arrays (grow-only) until released', () => {
    const rng = createRng(8);
    const small = { p: randNet(rng.child('p1'), 4, 2, 3), x: randBatch(rng.child('x1'), 2, 5, 2), y: randBatch(rng.child('y1'), 2, 5, 3) };
    const big = { p: randNet(rng.child('p2'), 9, 2, 3), x: randBatch(rng.child('x2'), 5, 11, 2), y: randBatch(rng.child('y2'), 5, 11, 3) };
    releaseLearningWorkspace();
    computeUpdate({ name: 'bptt' }, small.p, small.x, small.y);
    expect(releaseLearningWorkspace()).toBe(bpttBytes(4, 2, 3, 2, 5));
    expect(releaseLearningWorkspace()).toBe(0);
    computeUpdate({ name: 'bptt' }, big.p, big.x, big.y);
    computeUpdate({ name: 'bptt' }, small.p, small.x, small.y);
    expect(releaseLearningWorkspace()).toBe(bpttBytes(9, 2, 3, 5, 11));
  });
});
