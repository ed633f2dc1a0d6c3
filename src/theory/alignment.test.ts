// Tests of mode estimation and the alignment metrics (docs/theory/alignment.md §1–3): aligned networks, hand-computed cases, bad inputs.
import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { InputError, ShapeError } from '../core/errors.js';
import { cmat, fromRows, mat, type Mat } from '../core/types.js';
import { alignmentScore, alignments, estimateModes } from './alignment.js';
import { alignedFeedback, alignedNetwork, makeDataset, randomOrthogonal } from './task.js';
import { train } from '../learning/train.js';
import type { RuleSpec } from '../learning/types.js';

const eye = (n: number): Mat => { const m = mat(n, n); for (let i = 0; i < n; i++) m.data[i * n + i] = 1; return m; };

describe('alignmentScore: Σ M_ii² / ‖M‖_F²', () => {
  it('hand values: [[1,2],[3,4]] → 17/30, [[1,0,2]] → 1/5, a diagonal → 1, zero → 1', () => {
    // exact rationals; the computation is a handful of roundings, so 1e-15 absolute
    expect(alignmentScore(fromRows([[1, 2], [3, 4]]))).toBeCloseTo(17 / 30, 15);
    expect(alignmentScore(fromRows([[1, 0, 2]]))).toBeCloseTo(1 / 5, 15);
    expect(alignmentScore(fromRows([[3, 0], [0, -2], [0, 0]]))).toBe(1);
    expect(alignmentScore(mat(2, 3))).toBe(1);
    // scaling guards: entries near the overflow and underflow limits give the same value
    expect(alignmentScore(fromRows([[1e300, 2e300], [3e300, 4e300]]))).toBeCloseTo(17 / 30, 15);
    expect(alignmentScore(fromRows([[1e-300, 2e-300], [3e-300, 4e-300]]))).toBeCloseTo(17 / 30, 15);
  });
  it('bad inputs name M', () => {
    expect(() => alignmentScore(fromRows([[1, NaN]]))).toThrow(/^alignmentScore: M.data\[1\] \(row 0, col 1\) = NaN: entries must be finite/);
    expect(() => alignmentScore(cmat(1, 1) as unknown as Mat)).toThrow(/^alignmentScore: M is complex/);
    expect(() => alignmentScore(null as unknown as Mat)).toThrow(InputError);
  });
});

describe('data-aligned networks have alignment 1 and give back their bars (joint sign per mode)', () => {
  // W = P diag(w) Pᵀ is symmetric with well-separated eigenvalues (gaps ≥ 0.3), so eig's eigenvectors and values are
  // accurate to ~n·eps·‖W‖/gap ≈ 1e-15; P⁺ of an orthogonal matrix is exact to rounding. 1e-12 leaves a wide margin.
  const TOL = 1e-12;
  const cases = [
    { label: 'square N = I = O = 4, random R and L', n: 4, nIn: 4, nOut: 4, bases: true },
    { label: 'rectangular N = 5, I = 3, O = 2, random R and L', n: 5, nIn: 3, nOut: 2, bases: true },
    { label: 'N = 3, I = O = 3, R = L = I (default bases)', n: 3, nIn: 3, nOut: 3, bases: false },
  ];
  for (const c of cases) {
    it(c.label, () => {
      const rng = createRng(7 + c.n);
      const P = randomOrthogonal(rng.child('P'), c.n);
      const R = c.bases ? randomOrthogonal(rng.child('R'), c.nIn) : eye(c.nIn);
      const L = c.bases ? randomOrthogonal(rng.child('L'), c.nOut) : eye(c.nOut);
      const w = [0.9, 0.6, 0.2, -0.1, -0.5].slice(0, c.n); // decreasing: the estimate's order
      const u = [0.7, -1.3, 0.4, 1.1, -0.6].slice(0, Math.min(c.n, c.nIn));
      const v = [-0.8, 0.5, 1.4, -0.3].slice(0, Math.min(c.n, c.nOut));
      const b = [1.2, -0.4, 0.9, 0.6].slice(0, Math.min(c.n, c.nOut));
      const net = alignedNetwork({ P, R, L, w, u, v });
      const B = alignedFeedback(P, L, b);
      const opts = c.bases ? { B, R, L } : { B };
      for (let ns = 1; ns <= c.n; ns++) {
        const a = alignments(net, { ...opts, nTeacher: ns });
        expect(Math.abs(a.recurrent - 1)).toBeLessThan(TOL);
        expect(Math.abs(a.input - 1)).toBeLessThan(TOL);
        expect(Math.abs(a.output - 1)).toBeLessThan(TOL);
        expect(Math.abs(a.feedback! - 1)).toBeLessThan(TOL);
      }
      const e = estimateModes(net, opts);
      const m = Math.min(c.n, c.nIn, c.nOut);
      expect(e.w.length).toBe(m);
      for (let i = 0; i < c.n; i++) { expect(Math.abs(e.lambda[i]! - w[i]!)).toBeLessThan(TOL); expect(e.lambdaIm[i]).toBe(0); }
      for (let i = 0; i < m; i++) {
        const s = Math.sign(e.u[i]! * u[i]!);
        expect(Math.abs(e.w[i]! - w[i]!)).toBeLessThan(TOL);
        expect(Math.abs(e.u[i]! - s * u[i]!)).toBeLessThan(TOL);
        expect(Math.abs(e.v[i]! - s * v[i]!)).toBeLessThan(TOL);
        expect(Math.abs(e.b![i]! - s * b[i]!)).toBeLessThan(TOL);
        // the canonical column is ±P[:, i] with its largest-magnitude entry positive
        let big = 0;
        for (let r = 0; r < c.n; r++) if (Math.abs(e.P.data[r * c.n + i]!) > Math.abs(e.P.data[big * c.n + i]!)) big = r;
        expect(e.P.data[big * c.n + i]!).toBeGreaterThan(0);
        for (let r = 0; r < c.n; r++) expect(Math.abs(e.P.data[r * c.n + i]! - s * P.data[r * c.n + i]!)).toBeLessThan(TOL);
      }
    });
  }

  it('an unsorted aligned network is estimated in decreasing order of w', () => {
    const rng = createRng(3);
    const P = randomOrthogonal(rng.child('P'), 3);
    const net = alignedNetwork({ P, R: eye(3), L: eye(3), w: [0.1, 0.8, -0.4], u: [1, 2, 3], v: [4, 5, 6] });
    const e = estimateModes(net);
    expect(Array.from(e.lambda).map((x) => +x.toFixed(12))).toEqual([0.8, 0.1, -0.4]);
    // mode 0 of the estimate is the student's mode 1, but the diagonal of Ū̂ pairs it with input 0: P⁺UR = S Πᵀ diag(u)
    // is a signed permutation of a diagonal, so the input alignment is Σ over the fixed points of Π of u_i² / Σ u_i²
    // = 3²/(1+4+9) = 9/14 (only the third mode keeps its place)
    const a = alignments(net, { nTeacher: 3 });
    expect(a.input).toBeCloseTo(9 / 14, 12);
    expect(a.output).toBeCloseTo(36 / 77, 12);
    expect(a.recurrent).toBeCloseTo(1, 12);
  });
});

describe('non-aligned networks: values computed by hand', () => {
  it('upper-triangular W: P = [[1, 1/√1.09], [0, −0.3/√1.09]]', () => {
    // W = [[0.5, 1], [0, 0.2]]: λ = 0.5 with e1, λ = 0.2 with (1, −0.3)/√1.09 (largest entry 1 > 0: sign kept).
    // PᵀP = [[1, 1/√1.09], [1/√1.09, 1]] → recurrent 2/(2 + 2/1.09) = 1.09/2.09 (also for N* = 1).
    // P⁻¹ = [[1, 1/0.3], [0, −√1.09/0.3]]; with U = V = I: Ū̂ = P⁻¹ → (1 + 1.09/0.09)/(1 + 1/0.09 + 1.09/0.09)
    // = 1.18/2.18, V̂̄ = P → (1 + 0.09/1.09)/(1 + 1/1.09 + 0.09/1.09) = 1.18/2.18.
    // B = [[1, 1], [0, 1]]: B̂̄ = P⁻¹B = [[1, 1 + 1/0.3], [0, −√1.09/0.3]] → (1 + 1.09/0.09)/(1 + (1 + 1/0.3)² + 1.09/0.09).
    // Tolerance 1e-13: a 2×2 triangular eigenproblem and a 2×2 pseudo-inverse, a few roundings of O(10) numbers.
    const W = fromRows([[0.5, 1], [0, 0.2]]), I2 = eye(2), B = fromRows([[1, 1], [0, 1]]);
    const r = Math.sqrt(1.09);
    for (const ns of [1, 2]) {
      const a = alignments({ W, U: I2, V: I2 }, { nTeacher: ns, B });
      expect(Math.abs(a.recurrent - 1.09 / 2.09)).toBeLessThan(1e-13);
      expect(Math.abs(a.input - 1.18 / 2.18)).toBeLessThan(1e-13);
      expect(Math.abs(a.output - 1.18 / 2.18)).toBeLessThan(1e-13);
      expect(Math.abs(a.feedback! - (1 + 1.09 / 0.09) / (1 + (1 + 1 / 0.3) ** 2 + 1.09 / 0.09))).toBeLessThan(1e-13);
    }
    const e = estimateModes({ W, U: I2, V: I2 }, { B });
    const want = { w: [0.5, 0.2], u: [1, -r / 0.3], v: [1, -0.3 / r], b: [1, -r / 0.3] };
    for (const k of ['w', 'u', 'v', 'b'] as const) for (let i = 0; i < 2; i++) expect(Math.abs(e[k]![i]! - want[k][i]!)).toBeLessThan(1e-13);
    // the mode gain u·v is basis-independent: 1 for both modes here
    expect(Math.abs(e.u[1]! * e.v[1]! - 1)).toBeLessThan(1e-13);
  });

  it('diagonal W with a rotated U: input alignment cos²θ, the others 1', () => {
    const th = 0.4, c = Math.cos(th), s = Math.sin(th);
    const a = alignments({ W: fromRows([[0.7, 0], [0, 0.3]]), U: fromRows([[c, -s], [s, c]]), V: eye(2) }, { nTeacher: 2 });
    expect(Math.abs(a.input - c * c)).toBeLessThan(1e-15);
    expect(a.recurrent).toBe(1);
    expect(a.output).toBe(1);
    expect(a.feedback).toBeUndefined();
  });

  it('complex pair 0.5 ± 0.2i: both columns become e1 (real parts kept), alignments 1/2', () => {
    // W = [[0.5, −0.4], [0.1, 0.5]]: eigenvector of 0.5 + 0.2i is (1, −0.5i) (largest component first, already real),
    // real part (1, 0); its conjugate gives (1, 0) too. P = [[1, 1], [0, 0]], PᵀP = all ones → 1/2 (N* = 1 or 2);
    // P⁺ = [[0.5, 0], [0.5, 0]]: Ū̂ = P⁺ → 0.25/0.5 = 1/2; V̂̄ = P → 1/2. Tolerance 1e-13 (2×2, a few roundings).
    const W = fromRows([[0.5, -0.4], [0.1, 0.5]]);
    for (const ns of [1, 2]) {
      const a = alignments({ W, U: eye(2), V: eye(2) }, { nTeacher: ns });
      for (const k of ['recurrent', 'input', 'output'] as const) expect(Math.abs(a[k] - 0.5), k).toBeLessThan(1e-13);
    }
    const e = estimateModes({ W, U: eye(2), V: eye(2) });
    expect(Array.from(e.lambda).map((x) => +x.toFixed(13))).toEqual([0.5, 0.5]);
    expect(Array.from(e.lambdaIm).map((x) => +x.toFixed(13))).toEqual([0.2, -0.2]);
    const want = [1, 1, 0, 0], wantPinv = [0.5, 0, 0.5, 0];
    for (let k = 0; k < 4; k++) {
      expect(Math.abs(e.P.data[k]! - want[k]!)).toBeLessThan(1e-13);
      expect(Math.abs(e.Pinv.data[k]! - wantPinv[k]!)).toBeLessThan(1e-13);
    }
  });
});

describe('bad inputs name the field', () => {
  const net = { W: fromRows([[0.5, 0], [0, 0.2]]), U: eye(2), V: eye(2) };
  const rows: Array<[string, () => unknown, RegExp]> = [
    ['W not square', () => estimateModes({ ...net, W: fromRows([[1, 2]]) }), /^estimateModes: W is 1×2, expected a square/],
    ['U rows', () => estimateModes({ ...net, U: eye(3) }), /^estimateModes: U is 3×3, expected 2 rows/],
    ['NaN in W', () => estimateModes({ ...net, W: fromRows([[NaN, 0], [0, 1]]) }), /^estimateModes: W.data\[0\] \(row 0, col 0\) = NaN/],
    ['complex W', () => estimateModes({ ...net, W: cmat(2, 2) as unknown as Mat }), /^estimateModes: W is complex/],
    ['R wrong size', () => estimateModes(net, { R: eye(3) }), /^estimateModes: R is 3×3, expected 2×2/],
    ['L wrong size', () => estimateModes(net, { L: eye(1) }), /^estimateModes: L is 1×1, expected 2×2/],
    ['B wrong shape', () => estimateModes(net, { B: eye(3) }), /^estimateModes: B is 3×3, expected N×O = 2×2/],
    ['params null', () => estimateModes(null as never), /^estimateModes: params = null/],
    ['nTeacher missing', () => alignments(net, {} as never), /^alignments: nTeacher is required/],
    ['nTeacher 0', () => alignments(net, { nTeacher: 0 }), /^alignments: nTeacher = 0: must be an integer in \[1, 2\]/],
    ['nTeacher 3 > N', () => alignments(net, { nTeacher: 3 }), /^alignments: nTeacher = 3: must be an integer in \[1, 2\]/],
    ['nTeacher 1.5', () => alignments(net, { nTeacher: 1.5 }), /^alignments: nTeacher = 1.5/],
    ['options null', () => alignments(net, null as never), /^alignments: options = null/],
  ];
  for (const [label, f, re] of rows) {
    it(label, () => {
      let err: unknown = null;
      try { f(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(re);
    });
  }
  it('shape errors are ShapeErrors', () => {
    expect(() => estimateModes(net, { B: eye(3) })).toThrow(ShapeError);
  });
});

describe('a trained, non-aligned student: the estimate recovers the teacher modes and the alignments rise', () => {
  // Teacher W* = diag(0.8, 0.4), U* = V* = I (P* = R = L = I); student N = 5 from small Gaussian weights
  // (std 0.1/√N, so its spare modes stay near 0 and sort after the learned ones), 60 epochs of plain SGD on 256
  // sequences of T = 20 (terminal loss). Measured: validation loss < 1e-5, |w_i − w*_i| ≤ 1e-3, |u_i v_i − 1| ≤ 0.023,
  // recurrent/input/output alignments ≥ 0.978 (RFLO's feedback alignment 0.956: partial, as the theory expects).
  // The bounds below leave a factor 2–5 of margin on these and are far from the initial values (recurrent 0.48, input 0.31, output 0.26).
  const teacher = { W: fromRows([[0.8, 0], [0, 0.4]]), U: eye(2), V: eye(2) };
  const rng = createRng(5);
  const N = 5, s0 = 0.1 / Math.sqrt(N);
  const student = {
    W: mat(N, N, rng.child('W').fillNormal(new Float64Array(N * N), s0)),
    U: mat(N, 2, rng.child('U').fillNormal(new Float64Array(N * 2), s0)),
    V: mat(2, N, rng.child('V').fillNormal(new Float64Array(N * 2), s0)),
  };
  const B = mat(N, 2, rng.child('B').fillNormal(new Float64Array(N * 2), 1 / Math.sqrt(N)));
  const tr = makeDataset(teacher, rng.child('tr'), 256, 20), va = makeDataset(teacher, rng.child('va'), 64, 20);
  const before = alignments(student, { nTeacher: 2, B });
  for (const rule of [{ name: 'bptt' }, { name: 'rflo', alpha: 0.5, B }] as RuleSpec[]) {
    it(rule.name, () => {
      const r = train(student, tr, va, { rule, optimizer: { name: 'sgd', lr: 0.05 }, epochs: 60, batchSize: 16 }, createRng(1));
      expect(r.history.at(-1)!.valLoss).toBeLessThan(1e-4);
      const a = alignments(r.params as typeof student, { nTeacher: 2, B });
      for (const [i, ws] of [0.8, 0.4].entries()) {
        expect(Math.abs(a.modes.w[i]! - ws)).toBeLessThan(5e-3);
        expect(Math.abs(a.modes.u[i]! * a.modes.v[i]! - 1)).toBeLessThan(0.05);
      }
      for (const k of ['recurrent', 'input', 'output'] as const) {
        expect(a[k], k).toBeGreaterThan(0.95);
        expect(a[k] - before[k], k).toBeGreaterThan(0.3);
      }
    });
  }
});
