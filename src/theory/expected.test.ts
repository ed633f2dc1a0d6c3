// Tests of the expected updates and losses (docs/theory/expected.md §2, §5): Monte Carlo, single-mode sums, §5.4 references, Stein.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { cmat, fromRows, mat, type Mat } from '../core/types.js';
import { expectedLoss, expectedUpdate, steinSolve } from './expected.js';
import { evaluateLoss } from '../learning/losses.js';
import { computeUpdate } from '../learning/rules.js';
import { alignedFeedback, alignedNetwork, makeDataset, randomNetwork, randomOrthogonal, whiteNoise } from './task.js';
import { randCBatch, randCNet, relErr } from '../learning/test-util.js';
import type { LossKind, RnnParams, RuleSpec } from '../learning/types.js';

const LOSSES: LossKind[] = ['terminal', 'sequence-mean', 'sequence-sum'];

describe('expected updates match the Monte-Carlo mean of the per-sequence updates', () => {
  // 400 mini-batches of 25 white-noise sequences (10 000 sequences) per rule; the batch means are the
  // samples, the per-entry standard error is their standard deviation / √400, and every entry must lie
  // within 5 standard errors (about 500 checks in all: a 5σ miss has probability ~6e-7 per check).
  const rng = createRng(2024);
  const student = randomNetwork(rng.child('student'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.7 });
  const teacher = randomNetwork(rng.child('teacher'), { n: 4, nIn: 2, nOut: 2, spectralRadius: 0.8 });
  const B = mat(3, 2, rng.child('B').fillNormal(new Float64Array(6)));
  const T = 5, batches = 400, size = 25;
  const data = Array.from({ length: batches }, (_, k) => makeDataset(teacher, rng.child(`mc${k}`), size, T));
  const rules: RuleSpec[] = [
    { name: 'bptt' }, { name: 'rtrl' }, { name: 'tbptt', tau: 2 }, { name: 'rflo', alpha: 0.5, B },
    { name: 'random-diagonal', D: Float64Array.of(0.2, 0.9, 0.5), B }, { name: 'eprop', B }, { name: 'eprop', feedback: 'VT' },
  ];
  for (const rule of rules) {
    it(`${rule.name}${rule.name === 'eprop' ? ` (${rule.feedback ?? 'B'})` : ''}: every entry within 5 SE, all losses`, () => {
      for (const loss of LOSSES) {
        const want = expectedUpdate(rule, student, teacher, T, { loss, eta: 0.5 });
        for (const k of ['dW', 'dU', 'dV'] as const) {
          const m = want[k].data.length;
          const sum = new Float64Array(m), sq = new Float64Array(m);
          for (const d of data) {
            const u = computeUpdate(rule, student, d.x, d.y, { loss, eta: 0.5 })[k] as Mat;
            for (let i = 0; i < m; i++) { sum[i]! += u.data[i]!; sq[i]! += u.data[i]! ** 2; }
          }
          for (let i = 0; i < m; i++) {
            const mean = sum[i]! / batches;
            const se = Math.sqrt(Math.max(0, sq[i]! / batches - mean * mean) / (batches - 1));
            const z = Math.abs(mean - want[k].data[i]!) / (se + 1e-12);
            if (!(z <= 5)) throw new Error(`${rule.name} ${loss} ${k}[${i}]: MC ${mean} vs expected ${want[k].data[i]}, ${z.toFixed(2)} SE`);
          }
        }
      }
    });
  }
});

/** Single-mode expected update of docs/theory/expected.md §5.1 (terminal loss at T), η = 1. */
function modeTerminal(rule: string, T: number, s: [number, number, number], t: [number, number, number],
  o: { tau?: number; alpha?: number; b?: number } = {}): [number, number, number] {
  const [w, u, v] = s, [ws, us, vs] = t;
  const a = u * v, as = us * vs;
  const eps = (k: number): number => as * ws ** k - a * w ** k;
  let dw = 0, du = 0, dv = 0;
  for (let k = 0; k < T; k++) dv += eps(k) * u * w ** k;
  if (rule === 'bptt' || rule === 'tbptt') {
    const tau = rule === 'bptt' ? Infinity : o.tau!;
    for (let k = 1; k < T; k++) dw += eps(k) * u * v * Math.min(k, tau) * w ** (k - 1);
    for (let k = 0; k < Math.min(tau, T); k++) du += eps(k) * v * w ** k;
  } else {
    const al = rule === 'eprop' ? w : o.alpha!, b = o.b!;
    for (let k = 1; k < T; k++) {
      let s2 = 0;
      for (let j = 0; j < k; j++) s2 += al ** j * w ** (k - 1 - j);
      dw += eps(k) * b * u * s2;
    }
    for (let k = 0; k < T; k++) du += eps(k) * b * al ** k;
  }
  return [dw, du, dv];
}

/** Sequence-loss version: mean (or sum) over t = 1..T of the terminal-at-t mode update (docs/theory/learning-rules.md §6, docs/theory/expected.md §2.3). */
function mode(rule: string, T: number, loss: LossKind, s: [number, number, number], t: [number, number, number],
  o: { tau?: number; alpha?: number; b?: number } = {}): [number, number, number] {
  if (loss === 'terminal') return modeTerminal(rule, T, s, t, o);
  const acc: [number, number, number] = [0, 0, 0];
  for (let tt = 1; tt <= T; tt++) modeTerminal(rule, tt, s, t, o).forEach((x, i) => { acc[i]! += x; });
  return loss === 'sequence-mean' ? acc.map((x) => x / T) as [number, number, number] : acc;
}

/** Pᵀ M Q as a dense array (M r×c, P r×r, Q c×c). */
function rotate(P: Mat, M: Mat, Q: Mat): Float64Array {
  const r = M.rows, c = M.cols, out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) {
    let s = 0;
    for (let k = 0; k < r; k++) for (let l = 0; l < c; l++) s += P.data[k * r + i]! * M.data[k * c + l]! * Q.data[l * c + j]!;
    out[i * c + j] = s;
  }
  return out;
}

describe('data-aligned matrices decouple into the §5.1 single-mode sums', () => {
  const rng = createRng(55);
  const n = 3;
  const P = randomOrthogonal(rng.child('P'), n), Ps = randomOrthogonal(rng.child('Ps'), n);
  const R = randomOrthogonal(rng.child('R'), n), L = randomOrthogonal(rng.child('L'), n);
  const I3 = fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
  const sw = [0.4, -0.3, 0.6], su = [0.6, 1.1, -0.7], sv = [-0.5, 0.8, 0.9];
  const tw = [0.7, 0.5, -0.2], tu = [1.2, 1.0, 0.8], tv = [0.9, 1.0, 1.1];
  const b = [0.8, -0.4, 1.2], D = Float64Array.of(0.3, 0.6, 0.1);
  const teacher = alignedNetwork({ P: Ps, R, L, w: tw, u: tu, v: tv });
  const cases: Array<{ label: string; rule: RuleSpec; Pst: Mat; m: (i: number) => { rule: string; o: { tau?: number; alpha?: number; b?: number } } }> = [
    { label: 'bptt', rule: { name: 'bptt' }, Pst: P, m: () => ({ rule: 'bptt', o: {} }) },
    { label: 'tbptt(1)', rule: { name: 'tbptt', tau: 1 }, Pst: P, m: () => ({ rule: 'tbptt', o: { tau: 1 } }) },
    { label: 'tbptt(3)', rule: { name: 'tbptt', tau: 3 }, Pst: P, m: () => ({ rule: 'tbptt', o: { tau: 3 } }) },
    { label: 'rflo', rule: { name: 'rflo', alpha: 0.5, B: alignedFeedback(P, L, b) }, Pst: P, m: (i) => ({ rule: 'rflo', o: { alpha: 0.5, b: b[i]! } }) },
    { label: 'random-diagonal (P = I)', rule: { name: 'random-diagonal', D, B: alignedFeedback(I3, L, b) }, Pst: I3, m: (i) => ({ rule: 'rflo', o: { alpha: D[i]!, b: b[i]! } }) },
    { label: 'eprop (P = I)', rule: { name: 'eprop', B: alignedFeedback(I3, L, b) }, Pst: I3, m: (i) => ({ rule: 'eprop', o: { b: b[i]! } }) },
  ];
  for (const c of cases) {
    it(`${c.label}: rotated updates are diagonal with the mode sums (abs 1e-13), every loss`, () => {
      const student = alignedNetwork({ P: c.Pst, R, L, w: sw, u: su, v: sv });
      for (const loss of LOSSES) {
        const T = 9;
        const e = expectedUpdate(c.rule, student, teacher, T, { loss });
        const dW = rotate(c.Pst, e.dW, c.Pst), dU = rotate(c.Pst, e.dU, R), dV = rotate(L, e.dV, c.Pst);
        for (let i = 0; i < n; i++) {
          const { rule, o } = c.m(i);
          const want = mode(rule, T, loss, [sw[i]!, su[i]!, sv[i]!], [tw[i]!, tu[i]!, tv[i]!], o);
          for (let j = 0; j < n; j++) {
            const tgt = i === j ? want : [0, 0, 0];
            expect(Math.abs(dW[i * n + j]! - tgt[0]!), `${loss} W[${i},${j}]`).toBeLessThan(1e-13);
            expect(Math.abs(dU[i * n + j]! - tgt[1]!), `${loss} U[${i},${j}]`).toBeLessThan(1e-13);
            expect(Math.abs(dV[i * n + j]! - tgt[2]!), `${loss} V[${i},${j}]`).toBeLessThan(1e-13);
          }
        }
      }
    });
  }
});

describe('§5.4 reference values (T = 400 ≈ ∞: 0.7^400 < 1e-60)', () => {
  const one = (w: number, u: number, v: number): RnnParams<Mat> => ({ W: mat(1, 1, Float64Array.of(w)), U: mat(1, 1, Float64Array.of(u)), V: mat(1, 1, Float64Array.of(v)) });
  const s = one(0.4, 0.6, -0.5), t = one(0.7, 1.2, 0.9);
  const B = mat(1, 1, Float64Array.of(0.8));
  const refs: Array<[RuleSpec, number, number]> = [
    [{ name: 'bptt' }, -0.4885204081632653, -0.9285714285714287],
    [{ name: 'tbptt', tau: 1 }, -0.3578571428571428, -0.69],
    [{ name: 'tbptt', tau: 3 }, -0.47870742857142856, -0.911376],
    [{ name: 'rflo', alpha: 0.5, B }, 0.8610989010989011, 1.6292307692307693],
    [{ name: 'eprop', B }, 0.7816326530612245, 1.485714285714286],
  ];
  for (const [rule, wd, ud] of refs) {
    it(`${rule.name}${rule.name === 'tbptt' ? `(${rule.tau})` : ''}: (ẇ, u̇) and v̇ = 1.1142857142857143 to rel 1e-13`, () => {
      const e = expectedUpdate(rule, s, t, 400);
      expect(relErr([e.dW.data[0]!, e.dU.data[0]!, e.dV.data[0]!], [wd, ud, 1.1142857142857143])).toBeLessThan(1e-13);
    });
  }
  it('the reference mode embedded as mode 1 of an aligned 3-mode network gives the same BPTT rates', () => {
    const rng = createRng(77);
    const P = randomOrthogonal(rng.child('P'), 3), R = randomOrthogonal(rng.child('R'), 3), L = randomOrthogonal(rng.child('L'), 3);
    const st = alignedNetwork({ P, R, L, w: [0.4, 0.2, -0.1], u: [0.6, 1, 1], v: [-0.5, 1, 1] });
    const te = alignedNetwork({ P: randomOrthogonal(rng.child('Ps'), 3), R, L, w: [0.7, 0.3, 0.5], u: [1.2, 1, 1], v: [0.9, 1, 1] });
    const e = expectedUpdate({ name: 'bptt' }, st, te, 400);
    expect(relErr([rotate(P, e.dW, P)[0]!, rotate(P, e.dU, R)[0]!, rotate(L, e.dV, P)[0]!], [-0.4885204081632653, -0.9285714285714287, 1.1142857142857143])).toBeLessThan(1e-12);
    // and the network loss is the sum of the §5.3 mode losses ½[a²/(1−w²) − 2aa*/(1−ww*) + a*²/(1−w*²)]
    const modeLoss = (w: number, a: number, ws: number, as: number): number => 0.5 * (a * a / (1 - w * w) - 2 * a * as / (1 - w * ws) + as * as / (1 - ws * ws));
    const total = modeLoss(0.4, -0.3, 0.7, 1.08) + modeLoss(0.2, 1, 0.3, 1) + modeLoss(-0.1, 1, 0.5, 1);
    expect(relErr([expectedLoss(st, te, 'inf')], [total])).toBeLessThan(1e-13);
    expect(relErr([modeLoss(0.4, -0.3, 0.7, 1.08)], [1.6471008403361345])).toBeLessThan(1e-14);
  });
  it('expected loss L∞ = 1.6471008403361345 (Stein, rel 1e-13) and T = 400 agrees', () => {
    expect(relErr([expectedLoss(s, t, 'inf')], [1.6471008403361345])).toBeLessThan(1e-13);
    expect(relErr([expectedLoss(s, t, 400)], [1.6471008403361345])).toBeLessThan(1e-13);
    expect(relErr([expectedLoss(s, t, 'inf', 'sequence-mean')], [1.6471008403361345])).toBeLessThan(1e-13);
  });
});

describe('BPTT expected update for T → ∞ is −∇ of the Stein loss', () => {
  it('non-aligned 3-unit student, 2-unit teacher: T = 600 vs central differences (h = 1e-6) of L∞, rel 1e-7', () => {
    // ρ ≤ 0.75 so lags beyond 600 contribute < 0.75^600 ≈ 1e-75; FD error ≈ eps·L/h + h²·L''' ≈ 1e-10 relative.
    const rng = createRng(88);
    const st = randomNetwork(rng.child('s'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.7 });
    const te = randomNetwork(rng.child('t'), { n: 2, nIn: 2, nOut: 2, spectralRadius: 0.75 });
    const e = expectedUpdate({ name: 'bptt' }, st, te, 600);
    for (const k of ['W', 'U', 'V'] as const) {
      const m = st[k];
      const fd = new Float64Array(m.data.length);
      for (let i = 0; i < fd.length; i++) {
        const old = m.data[i]!;
        m.data[i] = old + 1e-6;
        const lp = expectedLoss(st, te, 'inf');
        m.data[i] = old - 1e-6;
        const lm = expectedLoss(st, te, 'inf');
        m.data[i] = old;
        fd[i] = -(lp - lm) / 2e-6;
      }
      expect(relErr(e[`d${k}`].data, fd), k).toBeLessThan(1e-7);
    }
  });
});

describe('expected loss', () => {
  it('finite T against Monte Carlo (10 000 sequences, 5 SE), every loss', () => {
    const rng = createRng(99);
    const st = randomNetwork(rng.child('s'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.8 });
    const te = randomNetwork(rng.child('t'), { n: 3, nIn: 2, nOut: 2, spectralRadius: 0.9 });
    const T = 7;
    for (const loss of LOSSES) {
      let sum = 0, sq = 0;
      const nb = 400;
      for (let k = 0; k < nb; k++) {
        const d = makeDataset(te, rng.child(`d${k}`), 25, T);
        const l = evaluateLoss(st, d.x, d.y, { loss });
        sum += l;
        sq += l * l;
      }
      const mean = sum / nb, se = Math.sqrt((sq / nb - mean * mean) / (nb - 1));
      expect(Math.abs(mean - expectedLoss(st, te, T, loss)) / se, loss).toBeLessThan(5);
    }
  });
  it('T = "inf" equals a large finite T (T = 3000, ρ = 0.95: remainder < 1e-60, rel 1e-12)', () => {
    const rng = createRng(100);
    const st = randomNetwork(rng.child('s'), { n: 4, nIn: 2, nOut: 3, spectralRadius: 0.95 });
    const te = randomNetwork(rng.child('t'), { n: 5, nIn: 2, nOut: 3, spectralRadius: 0.9 });
    expect(relErr([expectedLoss(st, te, 'inf')], [expectedLoss(st, te, 3000)])).toBeLessThan(1e-12);
  });
  it('complex networks: finite T vs Monte Carlo with circular complex inputs, and T = "inf" vs T = 2000', () => {
    const rng = createRng(101);
    const st = randCNet(rng.child('s'), 3, 2, 2, 0.6), te = randCNet(rng.child('t'), 2, 2, 2, 0.5);
    const T = 6, nb = 400;
    let sum = 0, sq = 0;
    for (let k = 0; k < nb; k++) {
      const x = randCBatch(rng.child(`x${k}`), 25, T, 2);
      // targets: the teacher's outputs (computed as the student's loss against zero targets of the teacher network)
      const y = teacherComplex(te, x);
      const l = evaluateLoss(st, x, y, { loss: 'terminal' });
      sum += l; sq += l * l;
    }
    const mean = sum / nb, se = Math.sqrt((sq / nb - mean * mean) / (nb - 1));
    expect(Math.abs(mean - expectedLoss(st, te, T)) / se).toBeLessThan(5);
    expect(relErr([expectedLoss(st, te, 'inf')], [expectedLoss(st, te, 2000)])).toBeLessThan(1e-12);
  });
  it('Stein solution satisfies X = A X Aᵀ + Q (rel 1e-14)', () => {
    const rng = createRng(102);
    const A = randomNetwork(rng, { n: 5, nIn: 1, nOut: 1, spectralRadius: 0.97 }).W;
    const G = whiteNoise(rng, 1, 5, 2);
    const Q = mat(5, 5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) for (let k = 0; k < 2; k++) Q.data[i * 5 + j]! += G.data[i * 2 + k]! * G.data[j * 2 + k]!;
    const X = steinSolve(A, Q);
    const res = new Float64Array(25);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) {
      let s = Q.data[i * 5 + j]!;
      for (let k = 0; k < 5; k++) for (let l = 0; l < 5; l++) s += A.data[i * 5 + k]! * X.re[k * 5 + l]! * A.data[j * 5 + l]!;
      res[i * 5 + j] = s;
    }
    expect(relErr(X.re, res)).toBeLessThan(1e-13);
    expect(Math.max(...X.im.map(Math.abs))).toBe(0);
  });
  it('errors: ρ ≥ 1 with T = "inf", sequence-sum with T = "inf", bad T, shape mismatch', () => {
    const st = { W: mat(1, 1, Float64Array.of(1.01)), U: mat(1, 1, Float64Array.of(1)), V: mat(1, 1, Float64Array.of(1)) };
    const te = { W: mat(1, 1, Float64Array.of(0.5)), U: mat(1, 1, Float64Array.of(1)), V: mat(1, 1, Float64Array.of(1)) };
    expect(() => expectedLoss(st, te, 'inf')).toThrow(/ρ\(W\) = 1.01000/);
    expect(() => expectedLoss({ ...st, W: mat(1, 1, Float64Array.of(1)) }, te, 'inf')).toThrow(/spectral radii below 1/);
    expect(() => expectedLoss(te, te, 'inf', 'sequence-sum')).toThrow(/sequence-sum/);
    expect(() => expectedLoss(te, te, 0)).toThrow(/T = 0: must be an integer >= 1 or "inf"/);
    expect(() => expectedUpdate({ name: 'bptt' }, te, { ...te, U: mat(1, 2) }, 3)).toThrow(/teacher.U has 2 columns/);
    expect(() => expectedUpdate({ name: 'bptt' }, { ...te, W: cmat(1, 1) }, te, 3)).toThrow(/W is complex/);
    expect(expectedLoss(st, te, 5)).toBeGreaterThan(0); // finite T works for any spectral radius
  });
});

function teacherComplex(te: RnnParams, x: ReturnType<typeof randCBatch>): ReturnType<typeof randCBatch> {
  // y = V h with h_t = W h_{t−1} + U x_t, written out directly (independent of the kernels)
  const W = te.W as ReturnType<typeof cmat>, U = te.U as ReturnType<typeof cmat>, V = te.V as ReturnType<typeof cmat>;
  const n = W.rows, nIn = U.cols, nOut = V.rows;
  const re = new Float64Array(x.batch * x.steps * nOut), im = new Float64Array(x.batch * x.steps * nOut);
  for (let b = 0; b < x.batch; b++) {
    let hr = new Float64Array(n), hi = new Float64Array(n);
    for (let t = 0; t < x.steps; t++) {
      const nr = new Float64Array(n), ni = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) { nr[i]! += W.re[i * n + j]! * hr[j]! - W.im[i * n + j]! * hi[j]!; ni[i]! += W.re[i * n + j]! * hi[j]! + W.im[i * n + j]! * hr[j]!; }
        for (let j = 0; j < nIn; j++) {
          const xo = (b * x.steps + t) * nIn + j;
          nr[i]! += U.re[i * nIn + j]! * x.re[xo]! - U.im[i * nIn + j]! * x.im[xo]!;
          ni[i]! += U.re[i * nIn + j]! * x.im[xo]! + U.im[i * nIn + j]! * x.re[xo]!;
        }
      }
      hr = nr; hi = ni;
      for (let o = 0; o < nOut; o++) {
        const yo = (b * x.steps + t) * nOut + o;
        for (let j = 0; j < n; j++) { re[yo]! += V.re[o * n + j]! * hr[j]! - V.im[o * n + j]! * hi[j]!; im[yo]! += V.re[o * n + j]! * hi[j]! + V.im[o * n + j]! * hr[j]!; }
      }
    }
  }
  return { batch: x.batch, steps: x.steps, dim: nOut, re, im };
}
