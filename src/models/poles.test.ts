import { describe, expect, it } from 'vitest';
import { createRng } from '../core/rng.js';
import { fromRows, type CVec } from '../core/types.js';
import { eig } from '../linalg/eig.js';
import { blockDiagonalFromPoles, parsePoleReservoirConfig, poleReservoir, polesOfBlockDiagonal, ringPoles } from './poles.js';
import { rollout } from './rnn.js';
import { randMat, testRng } from '../../test/helpers.js';

/** Each requested pole is matched (greedily, nearest first) by a distinct computed eigenvalue within tol. */
function expectSameMultiset(got: CVec, want: CVec, tol: number): void {
  expect(got.re.length).toBe(want.re.length);
  const used = new Array<boolean>(got.re.length).fill(false);
  for (let i = 0; i < want.re.length; i++) {
    let best = -1, bestD = Infinity;
    for (let j = 0; j < got.re.length; j++) {
      if (used[j]) continue;
      const d = Math.hypot(got.re[j]! - want.re[i]!, got.im[j]! - want.im[i]!);
      if (d < bestD) { bestD = d; best = j; }
    }
    expect(bestD, `pole ${want.re[i]} + ${want.im[i]}i`).toBeLessThan(tol);
    used[best] = true;
  }
}

/** The full eigenvalue list a pole list stands for in the real-blocks form: p and p̄ for each non-real p. */
function withConjugates(p: CVec): CVec {
  const re: number[] = [], im: number[] = [];
  for (let i = 0; i < p.re.length; i++) {
    re.push(p.re[i]!); im.push(p.im[i]!);
    if (p.im[i] !== 0) { re.push(p.re[i]!); im.push(-p.im[i]!); }
  }
  return { re: Float64Array.from(re), im: Float64Array.from(im) };
}

describe('block-diagonal pole form', () => {
  const poles: CVec = { re: Float64Array.from([0.9, 0.5, -0.3, 0.2, 0.7]), im: Float64Array.from([0.1, 0, 0.6, -0.8, 0]) };

  it('eig of blockDiagonalFromPoles equals the requested poles and their conjugates (1e-12)', () => {
    // 2×2 blocks [[a, −b], [b, a]] have eigenvalues a ± ib exactly; eig's backward error is ~n·eps·‖W‖ ≈ 1e-15.
    const W = blockDiagonalFromPoles(poles);
    expect(W.rows).toBe(8);
    expect(Array.from(W.data.subarray(0, 2))).toEqual([0.9, -0.1]);
    expect(Array.from(W.data.subarray(8, 10))).toEqual([0.1, 0.9]);
    expectSameMultiset(eig(W).values, withConjugates(poles), 1e-12);
  });

  it('polesOfBlockDiagonal inverts blockDiagonalFromPoles exactly and rejects other matrices', () => {
    const back = polesOfBlockDiagonal(blockDiagonalFromPoles(poles));
    expect(back.re).toEqual(poles.re);
    expect(back.im).toEqual(poles.im);
    expect(() => polesOfBlockDiagonal(fromRows([[1, 2], [3, 4]]))).toThrow(/not a rotation-scaling block/);
    expect(() => polesOfBlockDiagonal(fromRows([[0.5, 0, 1], [0, 0.2, 0], [0, 0, 0.1]]))).toThrow(/W\[0, 2\] = 1 lies outside the diagonal blocks/);
  });
});

describe('poleReservoir', () => {
  it('explicit poles: real-blocks W has exactly these eigenvalues; complex-diagonal W = diag(poles)', () => {
    const values: Array<number | [number, number]> = [[0.9, 0.3], 0.4, [-0.5, -0.5], [0.2, 0.7]];
    const want: CVec = { re: Float64Array.from([0.9, 0.4, -0.5, 0.2]), im: Float64Array.from([0.3, 0, -0.5, 0.7]) };
    const real = poleReservoir({ poles: { kind: 'explicit', values } }, 2, createRng(1));
    expect(real.W.rows).toBe(7);
    expect(real.U.rows).toBe(7);
    expectSameMultiset(eig(real.W).values, withConjugates(want), 1e-12);
    const cplx = poleReservoir({ poles: { kind: 'explicit', values }, form: 'complex-diagonal', outputs: 3 }, 2, createRng(1));
    expect(cplx.W.rows).toBe(4);
    expect(cplx.V!.rows).toBe(3);
    for (let i = 0; i < 4; i++) {
      expect(cplx.W.re[i * 4 + i]).toBe(want.re[i]);
      expect(cplx.W.im[i * 4 + i]).toBe(want.im[i]);
    }
    expectSameMultiset(eig(cplx.W).values, want, 1e-12);
  });

  it('ring samples stay within [rmin, rmax] × [0, thetaMax]; W realises them exactly', () => {
    const cfg = { kind: 'ring' as const, units: 41, rmin: 0.6, rmax: 0.9, thetaMax: Math.PI / 3, radius: 'uniform' as const };
    const net = poleReservoir({ poles: cfg }, 1, createRng(2));
    const p = polesOfBlockDiagonal(net.W);
    expect(p.re.length).toBe(21); // 20 pairs + 1 real pole (N odd)
    for (let i = 0; i < p.re.length; i++) {
      const r = Math.hypot(p.re[i]!, p.im[i]!), th = Math.atan2(p.im[i]!, p.re[i]!);
      expect(r).toBeGreaterThanOrEqual(0.6 - 1e-15);
      expect(r).toBeLessThanOrEqual(0.9 + 1e-15);
      expect(th).toBeGreaterThanOrEqual(0);
      expect(th).toBeLessThanOrEqual(Math.PI / 3 + 1e-15);
    }
    expect(p.im[20]).toBe(0);
    expectSameMultiset(eig(net.W).values, withConjugates(p), 1e-12);
  });

  it("radius 'area' makes |λ|² uniform on [rmin², rmax²]; 'uniform' makes |λ| uniform (means within 5σ)", () => {
    // m = 20000 samples: E|λ|² = (rmin² + rmax²)/2 under 'area' (σ of a uniform on [a, b] is (b − a)/√12);
    // E|λ| = (rmin + rmax)/2 under 'uniform'.
    const m = 20000, rmin = 0.2, rmax = 1;
    const area = ringPoles(m, { rmin, rmax, thetaMax: 2 * Math.PI, radius: 'area' }, testRng(3));
    const unif = ringPoles(m, { rmin, rmax, thetaMax: 2 * Math.PI, radius: 'uniform' }, testRng(3));
    let s2 = 0, s1 = 0, sTh = 0;
    for (let i = 0; i < m; i++) {
      s2 += area.re[i]! ** 2 + area.im[i]! ** 2;
      s1 += Math.hypot(unif.re[i]!, unif.im[i]!);
      sTh += Math.atan2(unif.im[i]!, unif.re[i]!);
    }
    expect(Math.abs(s2 / m - (rmin ** 2 + rmax ** 2) / 2)).toBeLessThan(5 * (rmax ** 2 - rmin ** 2) / Math.sqrt(12 * m));
    expect(Math.abs(s1 / m - (rmin + rmax) / 2)).toBeLessThan(5 * (rmax - rmin) / Math.sqrt(12 * m));
    // Phases uniform on [0, 2π) → atan2 uniform on (−π, π]: mean 0 with σ = 2π/√(12m).
    expect(Math.abs(sTh / m)).toBeLessThan(5 * 2 * Math.PI / Math.sqrt(12 * m));
  });

  it('normalizeInput scales each unit by γ = √(1 − |λ|²); draws are seeded per child stream', () => {
    const cfg = { poles: { kind: 'explicit' as const, values: [[0.6, 0.8 * 0.5] as [number, number], 0.5] }, inputScaling: 2 };
    const plain = poleReservoir(cfg, 3, createRng(4));
    const norm = poleReservoir({ ...cfg, normalizeInput: true }, 3, createRng(4));
    const r0 = Math.hypot(0.6, 0.4);
    const g = [Math.sqrt(1 - r0 * r0), Math.sqrt(1 - r0 * r0), Math.sqrt(1 - 0.25)];
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(norm.U.data[i * 3 + j]).toBeCloseTo(plain.U.data[i * 3 + j]! * g[i]!, 15);
    expect(poleReservoir(cfg, 3, createRng(4)).U.data).toEqual(plain.U.data);
    expect(() => poleReservoir({ poles: { kind: 'explicit', values: [1.2] }, normalizeInput: true }, 1, createRng(1))).toThrow(/needs every \|pole\| < 1/);
  });

  it('a real block R(p) carries the state of the complex unit with pole p', () => {
    // R(p)·[Re x, Im x]ᵀ = [Re(p x), Im(p x)]ᵀ, so the block driven by (1, 0)ᵀ u_t holds (Re x_t, Im x_t) of the
    // complex-diagonal unit x_t = p x_{t−1} + u_t; a real readout (c_r, c_i) then gives c_r Re x + c_i Im x.
    const p = { re: 0.7, im: 0.4 };
    const real = { W: blockDiagonalFromPoles({ re: Float64Array.of(p.re), im: Float64Array.of(p.im) }), U: fromRows([[1], [0]]), V: fromRows([[0.3, -1.1]]), activation: 'identity' as const, leakRate: 1 };
    const u = randMat(testRng(5), 30, 1);
    const yr = rollout(real, u).outputs!;
    const cnet = poleReservoir({ poles: { kind: 'explicit', values: [[p.re, p.im]] }, form: 'complex-diagonal' }, 1, createRng(0));
    const c = rollout({ ...cnet, U: { rows: 1, cols: 1, re: Float64Array.of(1), im: Float64Array.of(0) } }, u).states;
    for (let t = 0; t < 30; t++) {
      // y = c_r·Re x + c_i·Im x for the real block state [Re x, Im x].
      const want = 0.3 * c.re[t]! + -1.1 * c.im[t]!;
      expect(Math.abs(yr.data[t]! - want)).toBeLessThan(1e-13);
    }
  });

  it('validates its config with named fields', () => {
    expect(parsePoleReservoirConfig({}).poles).toEqual({ kind: 'ring', units: 32, rmin: 0.5, rmax: 0.95, thetaMax: Math.PI, radius: 'area' });
    expect(() => poleReservoir({ poles: { kind: 'ring', rmin: 0.9, rmax: 0.5 } }, 1, createRng(1))).toThrow('poleReservoir: poles.rmin = 0.9: must be <= poles.rmax (= 0.5)');
    expect(() => poleReservoir({ poles: { kind: 'ring', thetaMax: 7 } }, 1, createRng(1))).toThrow('poleReservoir: poles.thetaMax = 7: must be a number in [0, 2π]');
    expect(() => poleReservoir({ poles: { kind: 'explicit', values: [[1, 'x']] } } as never, 1, createRng(1))).toThrow(/poleReservoir: poles\.values\.0(\.1)? = .*: must be a non-empty array/);
    expect(() => poleReservoir({ form: 'complex-diagonal', activation: 'tanh' }, 1, createRng(1))).toThrow(/tanh is real-only/);
    expect(() => poleReservoir({ poles: { kind: 'ring', count: 3 } } as never, 1, createRng(1))).toThrow('poleReservoir: unknown field "poles.count"');
  });
});
