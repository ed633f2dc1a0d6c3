import { describe, it, expect } from 'vitest';
import { Matrix, solve, pseudoInverse } from 'ml-matrix';
import { computeOps, runRequest } from '../index.js';
import { createRng } from '../../core/rng.js';
import { expectClose, maxAbsDiff } from '../../../test/helpers.js';

type Rows = number[][];
type C = { re: Rows; im: Rows };

/** Runs one request through JSON (as the CLI does) and returns the parsed answer. */
function call(req: Record<string, unknown>): Record<string, unknown> {
  const wire = JSON.parse(JSON.stringify(req));
  const { result } = runRequest(computeOps, wire);
  return JSON.parse(JSON.stringify(result));
}

function randRows(seed: number, r: number, c: number, scale = 1): Rows {
  const rng = createRng(seed);
  return Array.from({ length: r }, () => Array.from({ length: c }, () => scale * rng.normal()));
}

const flat = (m: Rows): number[] => m.flat();

describe('compute op: rollout', () => {
  it('real tanh with leak, bias and h0 equals a direct loop (1e-13)', () => {
    const N = 5, I = 2, O = 3, T = 30;
    const W = randRows(1, N, N, 0.4), U = randRows(2, N, I), V = randRows(3, O, N), x = randRows(4, T, I);
    const h0 = randRows(5, 1, N)[0]!, bias = randRows(6, 1, N)[0]!;
    const a = 0.3;
    const ans = call({ op: 'rollout', W, U, V, x, h0, bias, activation: 'tanh', leakRate: a });
    let h = h0.slice();
    const states: Rows = [], outs: Rows = [];
    for (let t = 0; t < T; t++) {
      const pre = W.map((row, i) => row.reduce((s, w, j) => s + w * h[j]!, 0) + U[i]!.reduce((s, u, j) => s + u * x[t]![j]!, 0) + bias[i]!);
      h = h.map((hi, i) => (1 - a) * hi + a * Math.tanh(pre[i]!));
      states.push(h.slice());
      outs.push(V.map((row) => row.reduce((s, v, j) => s + v * h[j]!, 0)));
    }
    expectClose(flat(ans['states'] as Rows), flat(states), { rtol: 1e-13, atol: 1e-13 }, 'states');
    expectClose(flat(ans['outputs'] as Rows), flat(outs), { rtol: 1e-13, atol: 1e-13 }, 'outputs');
  });

  it('complex network with real input equals a direct complex loop; flat x is a column', () => {
    const N = 3, T = 12;
    const W: C = { re: randRows(7, N, N, 0.3), im: randRows(8, N, N, 0.3) };
    const U: C = { re: randRows(9, N, 1), im: randRows(10, N, 1) };
    const x = randRows(11, 1, T)[0]!;
    const ans = call({ op: 'rollout', W, U, x }) as { states: C };
    let hr = new Array<number>(N).fill(0), hi = new Array<number>(N).fill(0);
    for (let t = 0; t < T; t++) {
      const nr = new Array<number>(N).fill(0), ni = new Array<number>(N).fill(0);
      for (let i = 0; i < N; i++) {
        for (let j = 0; j < N; j++) {
          nr[i]! += W.re[i]![j]! * hr[j]! - W.im[i]![j]! * hi[j]!;
          ni[i]! += W.re[i]![j]! * hi[j]! + W.im[i]![j]! * hr[j]!;
        }
        nr[i]! += U.re[i]![0]! * x[t]!;
        ni[i]! += U.im[i]![0]! * x[t]!;
      }
      hr = nr; hi = ni;
      expectClose(ans.states.re[t]!, hr, { rtol: 1e-13, atol: 1e-14 }, `re t=${t}`);
      expectClose(ans.states.im[t]!, hi, { rtol: 1e-13, atol: 1e-14 }, `im t=${t}`);
    }
  });

  it('reports bad requests with the field, the value and what is allowed', () => {
    const W = randRows(1, 3, 3), U = randRows(2, 3, 2), x = randRows(3, 4, 2);
    expect(call({ op: 'rollout', W, U, x, activation: 'relu' })['error']).toBe('rollout: activation = "relu": must be one of "identity", "tanh"');
    expect(call({ op: 'rollout', W: randRows(1, 3, 2), U, x })['error']).toMatch(/^rollout: W has shape 3×2: expected a square matrix/);
    expect(call({ op: 'rollout', W, U, x: randRows(3, 4, 3) })['error']).toMatch(/^rollout: x has shape 4×3: expected 2 columns/);
    expect(call({ op: 'rollout', W, U, x, leakRate: 0 })['error']).toBe('rollout: leakRate = 0: must be > 0, <= 1');
    expect(call({ op: 'rollout', W, U, x, lekRate: 0.5 })['error']).toMatch(/^rollout: unknown field "lekRate"/);
    expect(call({ op: 'rollout', W: { re: W, im: W }, U, x, activation: 'tanh' })['error']).toMatch(/tanh is real-only/);
    expect(call({ op: 'rollout', W: [[1, 'a'], [0, 1]], U, x })['error']).toMatch(/W\[0\]\[1\] = "a": expected a finite number/);
  });
});

describe('compute op: readout', () => {
  const T = 60, N = 4, O = 2;
  const H = randRows(20, T, N), Y = randRows(21, T, O);

  it('ridge equals the closed form (HᵀH + λI)⁻¹HᵀY from an independent solver (1e-10)', () => {
    const lambda = 0.7, washout = 5;
    const ans = call({ op: 'readout', states: H, targets: Y, method: 'ridge', lambda, washout });
    const Hm = new Matrix(H.slice(washout)), Ym = new Matrix(Y.slice(washout));
    const X = solve(Hm.transpose().mmul(Hm).add(Matrix.eye(N).mul(lambda)), Hm.transpose().mmul(Ym));
    expectClose(flat(ans['Wout'] as Rows), flat(X.transpose().to2DArray()), { rtol: 1e-10, atol: 1e-12 }, 'Wout');
    const E = Ym.sub(Hm.mmul(X));
    const mseRef = E.to2DArray().flat().reduce((s, e) => s + e * e, 0) / ((T - washout) * O);
    expect(Math.abs((ans['trainMse'] as number) - mseRef)).toBeLessThan(1e-12 * mseRef + 1e-15);
  });

  it('pinv equals the Moore–Penrose solution, including a rank-deficient state matrix', () => {
    const Hd = H.map((r) => [r[0]!, r[1]!, r[0]! + r[1]!, r[3]!]); // column 2 = column 0 + column 1
    const ans = call({ op: 'readout', states: Hd, targets: Y, method: 'pinv' });
    const X = pseudoInverse(new Matrix(Hd)).mmul(new Matrix(Y));
    expectClose(flat(ans['Wout'] as Rows), flat(X.transpose().to2DArray()), { rtol: 1e-9, atol: 1e-11 }, 'Wout');
    expect(ans['rank']).toBe(3);
  });

  it('complex ridge matches the real embedding of the normal equations', () => {
    const Hc: C = { re: randRows(30, T, N), im: randRows(31, T, N) };
    const Yc: C = { re: randRows(32, T, 1), im: randRows(33, T, 1) };
    const lambda = 0.3;
    const ans = call({ op: 'readout', states: Hc, targets: Yc, lambda }) as { Wout: C };
    // Real embedding: [Hr −Hi; Hi Hr] [wr; wi] ≈ [yr; yi] gives the same minimiser of ‖y − H w‖² + λ‖w‖².
    const A = new Matrix([...Hc.re.map((r, t) => [...r, ...Hc.im[t]!.map((v) => -v)]), ...Hc.im.map((r, t) => [...r, ...Hc.re[t]!])]);
    const b = new Matrix([...Yc.re, ...Yc.im]);
    const w = solve(A.transpose().mmul(A).add(Matrix.eye(2 * N).mul(lambda)), A.transpose().mmul(b)).to1DArray();
    // Wout row = wᵀ (the readout computes y = Wout h, so Wout = (H⁺y)ᵀ without conjugation).
    expectClose(ans.Wout.re[0]!, w.slice(0, N), { rtol: 1e-10, atol: 1e-12 }, 'Wout.re');
    expectClose(ans.Wout.im[0]!, w.slice(N), { rtol: 1e-10, atol: 1e-12 }, 'Wout.im');
  });

  it('rejects mismatched rows and a washout that leaves nothing', () => {
    expect(call({ op: 'readout', states: H, targets: Y.slice(1) })['error']).toMatch(/^readout: targets has shape 59×2: expected 60 rows/);
    expect(call({ op: 'readout', states: H, targets: Y, washout: 60 })['error']).toBe('readout: washout = 60: must be < the number of rows of states (60)');
    expect(call({ op: 'readout', states: H, targets: Y, method: 'lasso' })['error']).toBe('readout: method = "lasso": must be one of "ridge", "pinv"');
  });
});

describe('compute op: rls', () => {
  it('with forgetting 1 ends at the ridge solution with lambda = delta; predictions are a-priori', () => {
    const T = 80, N = 4;
    const H = randRows(40, T, N), Y = randRows(41, T, 2);
    const delta = 0.05;
    const r = call({ op: 'rls', states: H, targets: Y, delta });
    const ridge = call({ op: 'readout', states: H, targets: Y, lambda: delta });
    expect(maxAbsDiff(flat(r['Wout'] as Rows), flat(ridge['Wout'] as Rows))).toBeLessThan(1e-10);
    const pred = r['predictions'] as Rows;
    expect(pred[0]).toEqual([0, 0]); // W_0 = 0
    // Row t of predictions uses the weights fitted on rows < t: equals ridge(λ = δ) on the first t rows.
    const t = 30;
    const w = call({ op: 'readout', states: H.slice(0, t), targets: Y.slice(0, t), lambda: delta })['Wout'] as Rows;
    const expected = w.map((row) => row.reduce((s, v, j) => s + v * H[t]![j]!, 0));
    expectClose(pred[t]!, expected, { rtol: 1e-9, atol: 1e-11 }, 'a-priori prediction');
  });

  it('rejects forgetting outside (0, 1]', () => {
    expect(call({ op: 'rls', states: [[1]], targets: [[1]], forgetting: 1.5 })['error']).toBe('rls: forgetting = 1.5: must be > 0, <= 1');
  });
});

describe('compute ops: eig, eigh, svd, spectral-radius', () => {
  it('eig returns the roots of a companion matrix, sorted by decreasing modulus', () => {
    // p(z) = (z − 2)(z − 0.5)(z² + 1) = z⁴ − 2.5z³ + 2z² − 2.5z + 1; companion (first row −coefficients).
    const A = [[2.5, -2, 2.5, -1], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0]];
    const v = call({ op: 'eig', A })['values'] as { re: number[]; im: number[] };
    expectClose(v.re, [2, 0, 0, 0.5], { rtol: 0, atol: 1e-12 }, 're');
    expectClose(v.im, [0, 1, -1, 0], { rtol: 0, atol: 1e-12 }, 'im');
  });

  it('eig of a complex triangular matrix returns its diagonal; vectors satisfy A v = λ v', () => {
    const A: C = { re: [[1, 2], [0, 3]], im: [[1, 0.5], [0, -1]] };
    const ans = call({ op: 'eig', A, vectors: true }) as { values: { re: number[]; im: number[] }; vectors: C };
    expectClose(ans.values.re, [3, 1], { rtol: 0, atol: 1e-13 }, 're');
    expectClose(ans.values.im, [-1, 1], { rtol: 0, atol: 1e-13 }, 'im');
    for (let j = 0; j < 2; j++) {
      const lr = ans.values.re[j]!, li = ans.values.im[j]!;
      for (let i = 0; i < 2; i++) {
        let sr = 0, si = 0;
        for (let k = 0; k < 2; k++) {
          const ar = A.re[i]![k]!, ai = A.im[i]![k]!, vr = ans.vectors.re[k]![j]!, vi = ans.vectors.im[k]![j]!;
          sr += ar * vr - ai * vi; si += ar * vi + ai * vr;
        }
        const vr = ans.vectors.re[i]![j]!, vi = ans.vectors.im[i]![j]!;
        expect(Math.hypot(sr - (lr * vr - li * vi), si - (lr * vi + li * vr))).toBeLessThan(1e-13);
      }
    }
  });

  it('eigh returns ascending values: tridiag(−1, 2, −1) closed form and a Hermitian 2×2', () => {
    const n = 7;
    const A = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 2 : Math.abs(i - j) === 1 ? -1 : 0)));
    const v = call({ op: 'eigh', A })['values'] as number[];
    const ref = Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1)));
    expectClose(v, ref, { rtol: 0, atol: 1e-14 }, 'eigh');
    // [[2, 1−i], [1+i, 3]]: λ = (5 ± √(1 + 8))/2 = 1, 4.
    const H = call({ op: 'eigh', A: { re: [[2, 1], [1, 3]], im: [[0, -1], [1, 0]] } })['values'] as number[];
    expectClose(H, [1, 4], { rtol: 0, atol: 1e-14 }, 'hermitian');
    expect(call({ op: 'eigh', A: [[1, 2], [0, 1]] })['error']).toMatch(/^eigh: A is not symmetric: max\|A − Aᴴ\| = 2\.000e\+0 > 1e-8/);
  });

  it('svd returns descending singular values, with exact zeros for rank deficiency', () => {
    const s = call({ op: 'svd', A: [[3, 0], [0, -4], [0, 0]] })['s'] as number[];
    expectClose(s, [4, 3], { rtol: 0, atol: 1e-14 }, 's');
    const r1 = call({ op: 'svd', A: [[1, 2, 3], [2, 4, 6]] })['s'] as number[];
    expectClose(r1, [Math.sqrt(5 * 14), 0], { rtol: 1e-14, atol: 1e-13 }, 'rank one');
    const c = call({ op: 'svd', A: { re: [[0, 0], [0, 0]], im: [[2, 0], [0, 1]] }, vectors: true });
    expectClose(c['s'] as number[], [2, 1], { rtol: 0, atol: 1e-14 }, 'complex');
    expect(c['U']).toBeDefined();
  });

  it('spectral-radius of a scaled rotation is its scale', () => {
    const r = 0.9, th = 0.7;
    const A = [[r * Math.cos(th), -r * Math.sin(th)], [r * Math.sin(th), r * Math.cos(th)]];
    expect(Math.abs((call({ op: 'spectral-radius', A })['value'] as number) - r)).toBeLessThan(1e-15);
    expect(call({ op: 'spectral-radius', A: [[1, 2]] })['error']).toMatch(/expected a square matrix/);
  });
});

describe('overflow of the answer', () => {
  it('rollout of an unstable network is an error naming states[t][i]; a stable one is not', () => {
    const x = Array.from({ length: 700 }, () => [1]);
    const r = runRequest(computeOps, { op: 'rollout', W: [[3]], U: [[1]], x });
    expect(r.ok).toBe(false);
    expect((r.result as { error: string }).error).toMatch(/^rollout: the answer is not finite \(states\[6\d\d\]\[0\] = Infinity\)/);
    expect(runRequest(computeOps, { op: 'rollout', W: [[0.9]], U: [[1]], x }).ok).toBe(true);
  });
});
