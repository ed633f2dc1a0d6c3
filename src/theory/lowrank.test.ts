// Tests of the rank analysis of learned changes (docs/theory/alignment.md §4): hand cases, and RFLO training (SGD vs Adam).
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat, type Mat } from '../core/types.js';
import { train } from '../learning/train.js';
import type { RuleSpec } from '../learning/types.js';
import type { OptimizerSpec } from '../learning/optim.js';
import { lowRankChange } from './lowrank.js';
import { makeDataset, randomNetwork, randomOrthogonal } from './task.js';

describe('lowRankChange: hand-computed cases', () => {
  it('ΔM = diag(3, 4, 0): s = (4, 3, 0), rank 2, entropy rank, eigenvalues (1, 0.75, 0), 4/5 outside col(e1)', () => {
    const before = fromRows([[1, 2, 0], [0, 1, 0], [5, 0, 1]]);
    const after = fromRows([[4, 2, 0], [0, 5, 0], [5, 0, 1]]);
    const r = lowRankChange(before, after, { B: fromRows([[2], [0], [0]]) });
    // exact small integers through a 3×3 SVD / eig: 1e-14 absolute
    const near = (a: ArrayLike<number>, b: number[]): void => { for (let i = 0; i < b.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThan(1e-14); };
    near(r.singularValues, [4, 3, 0]);
    near(r.normalised, [1, 0.75, 0]);
    expect(r.rank).toBe(2);
    const p = [4 / 7, 3 / 7];
    expect(Math.abs(r.effectiveRank - Math.exp(-(p[0]! * Math.log(p[0]!) + p[1]! * Math.log(p[1]!))))).toBeLessThan(1e-14);
    near(r.eigenvalues!.re, [1, 0.75, 0]);
    near(r.eigenvalues!.im, [0, 0, 0]);
    expect(r.eigenvalueRank).toBe(2);
    // rows of ΔM: (3, 0, 0), (0, 4, 0), 0; projecting onto e1 removes the first: ‖(0,4,0)‖/‖ΔM‖ = 4/5
    expect(Math.abs(r.outsideFeedback! - 0.8)).toBeLessThan(1e-15);
  });

  it('an orthogonal change has effective rank n; a rank-2 product has numerical rank 2 and lies in col(B)', () => {
    const rng = createRng(4);
    const Q = randomOrthogonal(rng.child('Q'), 5);
    expect(Math.abs(lowRankChange(mat(5, 5), Q).effectiveRank - 5)).toBeLessThan(1e-12); // 5 equal singular values 1 ± 1e-15
    const B = mat(5, 2, rng.child('B').fillNormal(new Float64Array(10))), X = mat(2, 5, rng.child('X').fillNormal(new Float64Array(10)));
    const d = mat(5, 5);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) d.data[i * 5 + j] = B.data[i * 2]! * X.data[j]! + B.data[i * 2 + 1]! * X.data[5 + j]!;
    const r = lowRankChange(mat(5, 5), d, { B });
    expect(r.rank).toBe(2);
    expect(r.outsideFeedback!).toBeLessThan(1e-14);
    expect(r.eigenvalueRank).toBeLessThanOrEqual(2);
    // a generic change is mostly outside a 2-d column space
    const g = mat(5, 5, rng.child('G').fillNormal(new Float64Array(25)));
    expect(lowRankChange(mat(5, 5), g, { B }).outsideFeedback!).toBeGreaterThan(0.3);
  });

  it('no change: rank 0, effective rank 0, nothing outside; a rectangular change has no eigenvalues', () => {
    const r = lowRankChange(fromRows([[1, 2], [3, 4]]), fromRows([[1, 2], [3, 4]]), { B: fromRows([[1], [0]]) });
    expect([r.rank, r.effectiveRank, r.outsideFeedback, r.eigenvalueRank]).toEqual([0, 0, 0, 0]);
    expect(Array.from(r.normalised)).toEqual([0, 0]);
    const t = lowRankChange(mat(3, 2), fromRows([[1, 0], [0, 0], [0, 0]]));
    expect(t.eigenvalues).toBeUndefined();
    expect(t.rank).toBe(1);
  });

  it('bad inputs name the argument', () => {
    expect(() => lowRankChange(mat(2, 2), mat(2, 3))).toThrow(ShapeError);
    expect(() => lowRankChange(mat(2, 2), mat(2, 3))).toThrow(/^lowRankChange: after is 2×3, expected the shape of before \(2×2\)/);
    expect(() => lowRankChange(mat(2, 2), mat(2, 2), { B: mat(3, 1) })).toThrow(/^lowRankChange: B is 3×1, expected 2 rows/);
    expect(() => lowRankChange(fromRows([[NaN]]), mat(1, 1))).toThrow(/^lowRankChange: before.data\[0\] \(row 0, col 0\) = NaN/);
    expect(() => lowRankChange(cmat(1, 1) as unknown as Mat, mat(1, 1))).toThrow(/^lowRankChange: before is complex/);
    expect(() => lowRankChange(fromRows([[-1e308]]), fromRows([[1e308]]))).toThrow(/^lowRankChange: after − before overflows/);
    expect(() => lowRankChange(mat(1, 1), mat(1, 1), null as never)).toThrow(InputError);
  });
});

describe('Proposition (alignment.md §4): RFLO with SGD changes W and U only inside col(B); Adam breaks it', () => {
  // Real training with the library's train (terminal and sequence-mean losses, shuffled mini-batches). N = 8 units,
  // I = 3 inputs, O = 2 outputs, so rank ≤ 2 is a strong statement (a generic change has rank 8).
  const N = 8, I = 3, O = 2, T = 12;
  const rng = createRng(2026);
  const teacher = randomNetwork(rng.child('teacher'), { n: 4, nIn: I, nOut: O, spectralRadius: 0.8 });
  const student = randomNetwork(rng.child('student'), { n: N, nIn: I, nOut: O, spectralRadius: 0.5 });
  const B = mat(N, O, rng.child('B').fillNormal(new Float64Array(N * O), 1 / Math.sqrt(N)));
  const tr = makeDataset(teacher, rng.child('train'), 64, T), va = makeDataset(teacher, rng.child('val'), 16, T);
  const run = (rule: RuleSpec, optimizer: OptimizerSpec, loss: 'terminal' | 'sequence-mean') =>
    train(student, tr, va, { rule, optimizer, epochs: 6, batchSize: 8, loss }, createRng(9));
  const rflo: RuleSpec = { name: 'rflo', alpha: 0.5, B };

  for (const loss of ['terminal', 'sequence-mean'] as const) {
    it(`RFLO + SGD (${loss}): rank ΔW, rank ΔU ≤ O = 2 and ‖(I − Π_B)Δ‖/‖Δ‖ < 1e-10`, () => {
      const r = run(rflo, { name: 'sgd', lr: 0.05 }, loss);
      expect(r.status).toBe('completed');
      for (const k of ['W', 'U'] as const) {
        const a = lowRankChange(student[k], r.params[k] as Mat, { B });
        // the change is real learning, not a no-op
        expect(a.singularValues[0]!).toBeGreaterThan(1e-3);
        expect(a.rank, k).toBeLessThanOrEqual(O);
        // 48 accumulated updates, each exactly B·(row vectors): only the rounding of the additions (~1e-16 relative
        // to W) leaves col(B); 1e-10 is a wide margin (measured: 6e-16 for W, 9e-16 for U; Adam gives 0.30 and BPTT 0.88)
        expect(a.outsideFeedback!, k).toBeLessThan(1e-10);
      }
    });
  }

  it('RFLO + Adam: the element-wise scaling pushes ΔW out of col(B) (rank > O, a visible share outside)', () => {
    const r = run(rflo, { name: 'adam', lr: 0.01 }, 'sequence-mean');
    const a = lowRankChange(student.W, r.params.W as Mat, { B });
    expect(a.rank).toBeGreaterThan(O);
    expect(a.outsideFeedback!).toBeGreaterThan(1e-3);
  });

  it('BPTT + SGD: no such structure (rank > O, ΔW leaves col(B))', () => {
    const r = run({ name: 'bptt' }, { name: 'sgd', lr: 0.05 }, 'sequence-mean');
    const a = lowRankChange(student.W, r.params.W as Mat, { B });
    expect(a.rank).toBeGreaterThan(O);
    expect(a.outsideFeedback!).toBeGreaterThan(1e-3);
  });
});
