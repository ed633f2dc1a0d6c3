import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { blockDiagonalFromPoles } from '../models/poles.js';
import { esn } from '../models/reservoir.js';
import { spectralRadius } from '../linalg/spectral.js';
import { expectClose, expectNear } from '../../test/helpers.js';
import { eigenvalueModulusDensity, kde, kdeBandwidth } from './kde.js';

function linspace(a: number, b: number, n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => a + (b - a) * i / (n - 1));
}

/** Composite Simpson rule on a uniform grid with an odd number of points. */
function simpson(y: Float64Array, dx: number): number {
  let s = y[0]! + y[y.length - 1]!;
  for (let i = 1; i < y.length - 1; i++) s += (i % 2 === 1 ? 4 : 2) * y[i]!;
  return (s * dx) / 3;
}

describe('Gaussian KDE', () => {
  const x = Float64Array.from([0.1, 0.4, 0.45, 0.9, 1.3]);
  // Hand values: mean 0.63, Σ(x − x̄)² = 0.888, ŝ = √(0.888/4) = 0.4711688..., n^(−1/5) = 5^(−0.2) = 0.724779...
  const s = Math.sqrt(0.888 / 4), f = 5 ** -0.2;

  it('bandwidth rules: Silverman 1.06·ŝ·n^(−1/5), Scott ŝ·n^(−1/5)', () => {
    expectNear(kdeBandwidth(x, 'silverman'), 1.06 * s * f, { rtol: 1e-14, atol: 0 });
    expectNear(kdeBandwidth(x, 'scott'), s * f, { rtol: 1e-14, atol: 0 });
    expectNear(kdeBandwidth(x, 'silverman'), 0.3619831, { rtol: 1e-6, atol: 0 }); // 1.06·0.4711688·0.7247797
    expect(kdeBandwidth(x, 0.2)).toBe(0.2);
  });

  it('integrates to 1 over the real line (Simpson quadrature, 1e-10)', () => {
    // Grid [−4, 6] extends > 10 bandwidths past the samples: the Gaussian tails beyond it are < 1e-20;
    // Simpson's error with h = 0.001 and bandwidth 0.36 is ~h⁴/h_bw⁴ ≈ 1e-11.
    for (const bw of ['silverman', 'scott', 0.05] as const) {
      const g = linspace(-4, 6, 10001);
      const { density } = kde(x, g, { bandwidth: bw });
      expectNear(simpson(density, 0.001), 1, { rtol: 0, atol: 1e-10 });
    }
  });

  it('equals the direct formula at a point and is a probability mixture', () => {
    const h = 0.3;
    const at = 0.5;
    let want = 0;
    for (const xi of x) want += Math.exp(-0.5 * ((at - xi) / h) ** 2) / (h * Math.sqrt(2 * Math.PI));
    want /= x.length;
    expectNear(kde(x, [at], { bandwidth: h }).density[0]!, want, { rtol: 1e-15, atol: 0 });
  });

  it('rejects degenerate and bad bandwidths', () => {
    expect(() => kde([0.5, 0.5], [0], { bandwidth: 'silverman' })).toThrow(/zero spread; pass a numeric bandwidth/);
    expect(() => kde([0.5], [0])).toThrow(InputError);
    expect(() => kde(x, [0], { bandwidth: -1 })).toThrow('kde: bandwidth = -1: must be a finite number > 0, \'scott\' or \'silverman\'');
    expect(() => kde([], [0], { bandwidth: 1 })).toThrow(/needs at least one sample/);
  });
});

describe('eigenvalueModulusDensity', () => {
  it('moduli, spectral radius, fraction outside and spread of a block-diagonal W with known poles', () => {
    // Poles (moduli): 0.5+0.5i (√0.5, twice with its conjugate), 1.2, −0.3, 1 ⇒ sorted moduli
    // [0.3, 0.70710678, 0.70710678, 1, 1.2]; |λ| ≥ 1: 2 of 5.
    const W = blockDiagonalFromPoles({ re: Float64Array.from([0.5, 1.2, -0.3, 1]), im: Float64Array.from([0.5, 0, 0, 0]) });
    const grid = linspace(0, 1.5, 301);
    const d = eigenvalueModulusDensity(W, grid);
    expectClose(d.absEigenvalues, [0.3, Math.SQRT1_2, Math.SQRT1_2, 1, 1.2], { rtol: 1e-14, atol: 1e-15 }, '|λ|');
    expectNear(d.spectralRadius, 1.2, { rtol: 1e-14, atol: 0 });
    expect(d.fractionOutside).toBe(0.4);
    expectNear(d.bandwidth, kdeBandwidth(d.absEigenvalues, 'silverman'), { rtol: 0, atol: 0 });
    expectClose(d.density, kde(d.absEigenvalues, grid).density, { rtol: 0, atol: 0 }, 'density');
    let m = 0;
    for (const v of d.absEigenvalues) m += v / 5;
    let v2 = 0;
    for (const v of d.absEigenvalues) v2 += (v - m) ** 2 / 4;
    expectNear(d.std, Math.sqrt(v2), { rtol: 1e-14, atol: 0 });
  });

  it('agrees with spectralRadius on a random ESN and mostly lies inside the unit circle', () => {
    const net = esn({ units: 60, sr: 0.9, connectivity: 0.2 }, 1, createRng(9));
    const d = eigenvalueModulusDensity(net.W, linspace(0, 1.5, 151), { bandwidth: 0.05 });
    expectNear(d.spectralRadius, spectralRadius(net.W), { rtol: 1e-13, atol: 0 });
    expect(d.fractionOutside).toBe(0);
    expect(d.absEigenvalues.length).toBe(60);
    // Complex input works too (a complex diagonal with known moduli).
    const c = eigenvalueModulusDensity({ rows: 2, cols: 2, re: Float64Array.from([0, 0, 0, 0.6]), im: Float64Array.from([0.8, 0, 0, 0.8]) }, [0.5], { bandwidth: 0.1 });
    expectClose(c.absEigenvalues, [0.8, 1], { rtol: 1e-14, atol: 1e-15 }, 'complex |λ|');
  });
});
