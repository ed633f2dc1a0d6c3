// Tests of the student–teacher task: orthogonal bases, spectral radius, aligned construction, datasets, seeding.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { mat, type Mat } from '../core/types.js';
import { eig } from '../linalg/eig.js';
import { spectralRadius } from '../linalg/spectral.js';
import { alignedFeedback, alignedNetwork, makeDataset, randomNetwork, randomOrthogonal, studentTeacherTask, whiteNoise } from './task.js';
import { relErr } from '../learning/test-util.js';

function mul(A: Mat, B: Mat, tA = false, tB = false): Mat {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  const C = mat(m, n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let l = 0; l < k; l++) s += (tA ? A.data[l * A.cols + i]! : A.data[i * A.cols + l]!) * (tB ? B.data[j * B.cols + l]! : B.data[l * B.cols + j]!);
    C.data[i * n + j] = s;
  }
  return C;
}

describe('task construction', () => {
  it('randomOrthogonal: QᵀQ = I to 1e-14', () => {
    const Q = randomOrthogonal(createRng(1), 7);
    const G = mul(Q, Q, true);
    for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(Math.abs(G.data[i * 7 + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-14);
  });
  it('randomNetwork has the requested spectral radius (rel 1e-12) and is reproducible per stream', () => {
    const a = randomNetwork(createRng(2), { n: 8, nIn: 2, nOut: 3, spectralRadius: 0.85 });
    expect(relErr([spectralRadius(a.W)], [0.85])).toBeLessThan(1e-12);
    const b = randomNetwork(createRng(2), { n: 8, nIn: 2, nOut: 3, spectralRadius: 0.85 });
    expect(Array.from(b.U.data)).toEqual(Array.from(a.U.data));
    // the U stream does not depend on how W was drawn (wStd instead of a spectral radius)
    const c = randomNetwork(createRng(2), { n: 8, nIn: 2, nOut: 3, wStd: 0.3 });
    expect(Array.from(c.U.data)).toEqual(Array.from(a.U.data));
  });
  it('the rescaling radius (linalg spectralRadius) equals max_j hypot(Re λ_j, Im λ_j) of eig bit for bit', () => {
    // randomNetwork rescales W by ρ/spectralRadius(W); the task's former private helper took max hypot over eig.
    // Equality (not a tolerance) on these draws shows the rescaled teachers, hence the datasets, are unchanged.
    const rng = createRng(11);
    for (const n of [1, 2, 3, 5, 8, 16]) {
      for (let k = 0; k < 20; k++) {
        const W = mat(n, n, rng.fillNormal(new Float64Array(n * n), 1 / Math.sqrt(n)));
        const { re, im } = eig(W).values;
        let r = 0;
        for (let j = 0; j < n; j++) r = Math.max(r, Math.hypot(re[j]!, im[j]!));
        expect(spectralRadius(W)).toBe(r);
      }
    }
  });
  it('aligned network: Pᵀ W P = diag(w), Pᵀ U R = diag(u), Lᵀ V P = diag(v), and W has eigenvalues w', () => {
    const rng = createRng(3);
    const P = randomOrthogonal(rng.child('P'), 3), R = randomOrthogonal(rng.child('R'), 2), L = randomOrthogonal(rng.child('L'), 4);
    const net = alignedNetwork({ P, R, L, w: [0.9, -0.5, 0.2], u: [1, 2], v: [0.5, -1, 3] });
    const dW = mul(mul(P, net.W, true), P), dU = mul(mul(P, net.U, true), R), dV = mul(mul(L, net.V, true), P);
    const want = (r: number, c: number, d: number[]): Float64Array => { const m = new Float64Array(r * c); d.forEach((v, i) => { m[i * c + i] = v; }); return m; };
    for (const [got, w] of [[dW.data, want(3, 3, [0.9, -0.5, 0.2])], [dU.data, want(3, 2, [1, 2])], [dV.data, want(4, 3, [0.5, -1, 3])]] as const) {
      for (let i = 0; i < w.length; i++) expect(Math.abs(got[i]! - w[i]!)).toBeLessThan(1e-14);
    }
    const ev = Array.from(eig(net.W).values.re).sort((x, y) => x - y);
    expect(relErr(ev, [-0.5, 0.2, 0.9])).toBeLessThan(1e-13);
    const B = alignedFeedback(P, L, [2, 3, 4]);
    const dB = mul(mul(P, B, true), L);
    expect(Math.abs(dB.data[1 * 4 + 1]! - 3)).toBeLessThan(1e-14);
    expect(Math.abs(dB.data[0 * 4 + 1]!)).toBeLessThan(1e-14);
  });
  it('dataset targets are the teacher outputs (a direct recursion), inputs are N(0, 1) (mean and variance within 5 SE)', () => {
    const rng = createRng(4);
    const te = randomNetwork(rng.child('t'), { n: 3, nIn: 2, nOut: 1 });
    const d = makeDataset(te, rng.child('d'), 5, 6);
    for (let b = 0; b < 5; b++) {
      let h = new Float64Array(3);
      for (let t = 0; t < 6; t++) {
        const hn = new Float64Array(3);
        for (let i = 0; i < 3; i++) {
          for (let j = 0; j < 3; j++) hn[i]! += te.W.data[i * 3 + j]! * h[j]!;
          for (let j = 0; j < 2; j++) hn[i]! += te.U.data[i * 2 + j]! * d.x.data[(b * 6 + t) * 2 + j]!;
        }
        h = hn;
        const y = te.V.data[0]! * h[0]! + te.V.data[1]! * h[1]! + te.V.data[2]! * h[2]!;
        expect(Math.abs(d.y.data[b * 6 + t]! - y)).toBeLessThan(1e-13);
      }
    }
    const x = whiteNoise(createRng(5), 100, 100, 2).data; // 20 000 draws: SE(mean) = 0.0071, SE(var) ≈ 0.01
    let s = 0, s2 = 0;
    for (const v of x) { s += v; s2 += v * v; }
    expect(Math.abs(s / x.length) / Math.sqrt(1 / x.length)).toBeLessThan(5);
    expect(Math.abs(s2 / x.length - 1) / Math.sqrt(2 / x.length)).toBeLessThan(5);
  });
  it('studentTeacherTask: the input sets depend only on their own streams, targets on the teacher', () => {
    const a = studentTeacherTask(createRng(8), { teacher: { n: 3, nIn: 2, nOut: 1, spectralRadius: 0.5 }, trainSize: 4, valSize: 2, steps: 5 });
    const b = studentTeacherTask(createRng(8), { teacher: { n: 3, nIn: 2, nOut: 1, spectralRadius: 0.9 }, trainSize: 4, valSize: 2, steps: 5 });
    expect(Array.from(a.train.x.data)).toEqual(Array.from(b.train.x.data));
    expect(Array.from(a.val.x.data)).toEqual(Array.from(b.val.x.data));
    expect(Array.from(a.val.x.data)).not.toEqual(Array.from(a.train.x.data.subarray(0, 20)));
    expect(Array.from(a.train.y.data)).not.toEqual(Array.from(b.train.y.data));
    expect(relErr([spectralRadius(b.teacher.W)], [0.9])).toBeLessThan(1e-12);
  });
  it('input errors name the field', () => {
    const P = randomOrthogonal(createRng(6), 2);
    expect(() => alignedNetwork({ P, R: P, L: P, w: [1], u: [1, 1], v: [1, 1] })).toThrow(/w has length 1, expected N = 2/);
    expect(() => whiteNoise(createRng(1), 0, 3, 1)).toThrow(/batch = 0/);
    expect(() => randomNetwork(createRng(1), { n: 2, nIn: 1, nOut: 1, spectralRadius: -1 })).toThrow(/spectralRadius = -1/);
  });
});
