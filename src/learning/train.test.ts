// Tests of the training loop: determinism, freezing, divergence, early stop, diagnostics, RFLO's low-rank updates (docs/theory/learning-rules.md §8).
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { cloneMat, mat, type CMat, type Mat } from '../core/types.js';
import { svd } from '../linalg/svd.js';
import { train, type TrainOptions } from './train.js';
import { makeDataset, randomNetwork } from '../theory/task.js';
import { randCBatch, randCNet } from './test-util.js';
import type { RnnParams } from './types.js';

function setup(seed = 1): { teacher: RnnParams<Mat>; student: RnnParams<Mat>; tr: ReturnType<typeof makeDataset>; va: ReturnType<typeof makeDataset>; B: Mat } {
  const rng = createRng(seed);
  const teacher = randomNetwork(rng.child('teacher'), { n: 4, nIn: 2, nOut: 2, spectralRadius: 0.8 });
  const student = randomNetwork(rng.child('student'), { n: 6, nIn: 2, nOut: 2, spectralRadius: 0.5, uStd: 0.3, vStd: 0.3 });
  const B = mat(6, 2, rng.child('B').fillNormal(new Float64Array(12), 1 / Math.sqrt(6)));
  return { teacher, student, tr: makeDataset(teacher, rng.child('train'), 64, 10), va: makeDataset(teacher, rng.child('val'), 32, 10), B };
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

describe('train', () => {
  it('is deterministic given the rng (identical history and parameters)', () => {
    const { student, tr, va } = setup();
    const o: TrainOptions = { rule: { name: 'bptt' }, optimizer: { name: 'adam', lr: 0.01 }, epochs: 3, batchSize: 16, loss: 'sequence-mean' };
    const a = train(student, tr, va, o, createRng(5)), b = train(student, tr, va, o, createRng(5));
    expect(a.history.map((h) => h.valLoss)).toEqual(b.history.map((h) => h.valLoss));
    expect(Array.from((a.params.W as Mat).data)).toEqual(Array.from((b.params.W as Mat).data));
    const c = train(student, tr, va, o, createRng(6)); // another shuffle → another trajectory
    expect(c.history[3]!.valLoss).not.toBe(a.history[3]!.valLoss);
  });
  it('frozen W and U stay bit-identical (same objects, same bits) while V learns; the input params are not modified', () => {
    const { student, tr, va } = setup();
    const W0 = cloneMat(student.W), U0 = cloneMat(student.U), V0 = cloneMat(student.V);
    const r = train(student, tr, va, { rule: { name: 'rtrl' }, optimizer: { name: 'momentum', lr: 0.05 }, epochs: 4, batchSize: 8,
      loss: 'sequence-mean', freeze: { W: true, U: true } }, createRng(1));
    expect(r.status).toBe('completed');
    expect(r.params.W).toBe(student.W);
    expect(r.params.U).toBe(student.U);
    expect(Array.from((r.params.W as Mat).data)).toEqual(Array.from(W0.data));
    expect(Array.from((r.params.U as Mat).data)).toEqual(Array.from(U0.data));
    expect(Array.from(student.V.data)).toEqual(Array.from(V0.data));
    expect(Array.from((r.params.V as Mat).data)).not.toEqual(Array.from(V0.data));
    expect(Object.keys(r.history[1]!.gradNorm)).toEqual(['V']);
    expect(r.history[4]!.valLoss).toBeLessThan(r.history[0]!.valLoss);
  });
  it('a huge learning rate diverges: status "diverged" with the epoch, no NaN anywhere', () => {
    const { student, tr, va } = setup();
    const r = train(student, tr, va, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1e6 }, epochs: 20, batchSize: 16, loss: 'terminal' }, createRng(1));
    expect(r.status).toBe('diverged');
    expect(r.divergence!.epoch).toBe(1);
    expect(r.divergence!.update).toBeGreaterThanOrEqual(1);
    expect(r.epochs).toBe(0);
    for (const b of ['W', 'U', 'V'] as const) expect((r.params[b] as Mat).data.every(Number.isFinite)).toBe(true);
    for (const h of r.history) expect(Number.isFinite(h.valLoss) && Number.isFinite(h.trainLoss)).toBe(true);
  });
  it('a validation loss above divergeAbove ends the run as diverged at that epoch', () => {
    const { student, tr, va } = setup();
    const r = train(student, tr, va, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 0.01 }, epochs: 5, batchSize: 16, divergeAbove: 1e-9 }, createRng(1));
    expect(r.status).toBe('diverged');
    expect(r.divergence!.epoch).toBe(1);
    expect(r.divergence!.reason).toMatch(/divergeAbove/);
  });
  it('an exploding but finite validation loss is divergence by the relative guard (divergeFactor)', () => {
    const { student, tr, va } = setup();
    // SGD with lr 1 takes the validation loss from 3.1 to about 1e112 in one epoch: finite, but exploded.
    const opts = { rule: { name: 'bptt' as const }, optimizer: { name: 'sgd' as const, lr: 1 }, epochs: 30, batchSize: 16 };
    const r = train(student, tr, va, opts, createRng(1));
    expect(r.status).toBe('diverged');
    expect(r.divergence!.epoch).toBe(1);
    expect(r.divergence!.reason).toMatch(/explosion/);
    const last = r.history[r.history.length - 1]!;
    expect(last.valLoss).toBeGreaterThan(1e8 * r.history[0]!.valLoss);
    expect(Number.isFinite(last.valLoss)).toBe(true);
    expect(() => train(student, tr, va, { ...opts, divergeFactor: 0.5 }, createRng(1))).toThrow(/divergeFactor = 0.5: must be a number > 1/);
  });
  it('stops early with status "converged" at the target loss (readout-only training of a realisable task)', () => {
    const { teacher, tr, va } = setup();
    const start = { W: teacher.W, U: teacher.U, V: mat(2, 4) }; // right poles, wrong readout: a convex problem
    const r = train(start, tr, va, { rule: { name: 'bptt' }, optimizer: { name: 'adam', lr: 0.05 }, epochs: 500, batchSize: 16,
      loss: 'sequence-mean', freeze: { W: true, U: true }, targetLoss: 1e-6 }, createRng(2));
    expect(r.status).toBe('converged');
    expect(r.epochs).toBeLessThan(500);
    expect(r.history.at(-1)!.valLoss).toBeLessThanOrEqual(1e-6);
  });
  it('diagnostics: one record per epoch (epoch 0 first), update counts, per-block gradient norms, eigenvalues of W', () => {
    const { student, tr, va } = setup();
    const seen: number[] = [];
    const r = train(student, tr, va, { rule: { name: 'tbptt', tau: 2 }, optimizer: { name: 'sgd', lr: 0.01 }, epochs: 2, batchSize: 20,
      eigenvalues: true, onEpoch: (h) => seen.push(h.epoch) }, createRng(1));
    expect(seen).toEqual([0, 1, 2]);
    expect(r.history.map((h) => h.updates)).toEqual([0, 4, 8]); // 64 sequences in batches of 20: 20, 20, 20, 4
    expect(Object.keys(r.history[2]!.gradNorm).sort()).toEqual(['U', 'V', 'W']);
    expect(r.history[2]!.eigenvalues!.re.length).toBe(6);
  });
  it('trains a complex network with BPTT (split re/im leaves) and lowers the loss', () => {
    const rng = createRng(3);
    const te = randCNet(rng.child('t'), 3, 1, 1, 0.7), st = randCNet(rng.child('s'), 3, 1, 1, 0.5);
    const mk = (k: string): { x: ReturnType<typeof randCBatch>; y: ReturnType<typeof randCBatch> } => {
      const x = randCBatch(rng.child(k), 32, 8, 1);
      // teacher outputs via a forward pass of the teacher with a zero learning signal
      const y = { batch: 32, steps: 8, dim: 1, re: new Float64Array(256), im: new Float64Array(256) };
      const W = te.W as CMat, U = te.U as CMat, V = te.V as CMat;
      for (let b = 0; b < 32; b++) {
        const hr = new Float64Array(3), hi = new Float64Array(3);
        for (let t = 0; t < 8; t++) {
          const xr = x.re[b * 8 + t]!, xi = x.im[b * 8 + t]!;
          const nr = new Float64Array(3), ni = new Float64Array(3);
          for (let i = 0; i < 3; i++) {
            nr[i] = U.re[i]! * xr - U.im[i]! * xi; ni[i] = U.re[i]! * xi + U.im[i]! * xr;
            for (let j = 0; j < 3; j++) { nr[i]! += W.re[i * 3 + j]! * hr[j]! - W.im[i * 3 + j]! * hi[j]!; ni[i]! += W.re[i * 3 + j]! * hi[j]! + W.im[i * 3 + j]! * hr[j]!; }
          }
          hr.set(nr); hi.set(ni);
          for (let j = 0; j < 3; j++) { y.re[b * 8 + t]! += V.re[j]! * hr[j]! - V.im[j]! * hi[j]!; y.im[b * 8 + t]! += V.re[j]! * hi[j]! + V.im[j]! * hr[j]!; }
        }
      }
      return { x, y };
    };
    const r = train(st, mk('tr'), mk('va'), { rule: { name: 'bptt' }, optimizer: { name: 'adam', lr: 0.02 }, epochs: 30, batchSize: 8, loss: 'sequence-mean' }, createRng(1));
    expect(r.status).toBe('completed');
    expect(r.history.at(-1)!.valLoss).toBeLessThan(0.2 * r.history[0]!.valLoss);
  });
  it('input errors name the field', () => {
    const { student, tr, va } = setup();
    expect(() => train(student, tr, va, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1 }, epochs: 0, batchSize: 1 }, createRng(1))).toThrow(/epochs = 0/);
    expect(() => train(student, tr, va, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 1 }, epochs: 1, batchSize: 1.5 }, createRng(1))).toThrow(/batchSize = 1.5/);
  });
});

/** Orthonormal basis of col(B) by Gram–Schmidt (B n×k of full column rank). */
function colBasis(B: Mat): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < B.cols; j++) {
    const c = Float64Array.from({ length: B.rows }, (_, i) => B.data[i * B.cols + j]!);
    for (const q of out) { let d = 0; for (let i = 0; i < c.length; i++) d += q[i]! * c[i]!; for (let i = 0; i < c.length; i++) c[i]! -= d * q[i]!; }
    let nrm = 0; for (const v of c) nrm += v * v; nrm = Math.sqrt(nrm);
    out.push(c.map((v) => v / nrm));
  }
  return out;
}

function numericalRank(M: Mat): number {
  const s = svd(M, { vectors: false }).s;
  return s.filter((v) => v > 1e-8 * s[0]!).length;
}

describe('RFLO low-rank structure of the accumulated changes (docs/theory/learning-rules.md §8)', () => {
  it('rank(ΔW), rank(ΔU) ≤ O = 2 with columns in col(B) after SGD training (sequence loss, batches); e-prop is not low rank', () => {
    const { student, tr, va, B } = setup(4);
    const r = train(student, tr, va, { rule: { name: 'rflo', alpha: 0.5, B }, optimizer: { name: 'sgd', lr: 0.05 }, epochs: 5, batchSize: 8, loss: 'sequence-mean' }, createRng(1));
    expect(r.status).toBe('completed');
    const Q = colBasis(B);
    for (const k of ['W', 'U'] as const) {
      const P = r.params[k] as Mat, P0 = student[k];
      const D = mat(P.rows, P.cols, P.data.map((v, i) => v - P0.data[i]!));
      expect(numericalRank(D), `rank ΔΘ for ${k}`).toBeLessThanOrEqual(2);
      expect(numericalRank(D)).toBe(2);
      // residual of the projection onto col(B), relative to ‖ΔΘ‖
      const res = Float64Array.from(D.data);
      for (let j = 0; j < D.cols; j++) for (const q of Q) {
        let d = 0; for (let i = 0; i < D.rows; i++) d += q[i]! * D.data[i * D.cols + j]!;
        for (let i = 0; i < D.rows; i++) res[i * D.cols + j]! -= d * q[i]!;
      }
      expect(maxAbs(res) / maxAbs(D.data), `col space ${k}`).toBeLessThan(1e-10);
    }
    const e = train(student, tr, va, { rule: { name: 'eprop', B }, optimizer: { name: 'sgd', lr: 0.05 }, epochs: 2, batchSize: 8, loss: 'sequence-mean' }, createRng(1));
    const W = e.params.W as Mat;
    expect(numericalRank(mat(6, 6, W.data.map((v, i) => v - student.W.data[i]!)))).toBeGreaterThan(2);
  });
});
