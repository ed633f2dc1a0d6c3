import { describe, expect, it } from 'vitest';
import { InputError } from '../core/errors.js';
import { createRng } from '../core/rng.js';
import { spectralRadius } from '../linalg/spectral.js';
import { esn, parseEsnConfig, randomMatrix } from './reservoir.js';

function density(a: Float64Array): number {
  let nz = 0;
  for (const v of a) if (v !== 0) nz++;
  return nz / a.length;
}

describe('esn builder', () => {
  it('is a pure function of (config, seed): bit-identical W, U, bias', () => {
    const cfg = { units: 40, sr: 0.8, bias: 0.5, connectivity: 0.3 };
    const a = esn(cfg, 3, createRng(7)), b = esn(cfg, 3, createRng(7)), c = esn(cfg, 3, createRng(8));
    expect(b.W.data).toEqual(a.W.data);
    expect(b.U.data).toEqual(a.U.data);
    expect(b.bias).toEqual(a.bias);
    expect(c.W.data).not.toEqual(a.W.data);
  });

  it('uses independent child streams: changing one initialiser leaves the others unchanged', () => {
    const base = esn({ units: 30, bias: 1 }, 2, createRng(11));
    const otherInput = esn({ units: 30, bias: 1, inputScaling: 3, inputConnectivity: 0.5, inputDistribution: 'uniform' }, 2, createRng(11));
    expect(otherInput.W.data).toEqual(base.W.data);
    const otherW = esn({ units: 30, bias: 1, sr: 0.5, distribution: 'uniform', inputDistribution: 'normal' }, 2, createRng(11));
    expect(otherW.U.data).toEqual(base.U.data);
    expect(otherW.bias).toEqual(base.bias);
    // W's stream is rng.child('W'): drawing from the parent first changes nothing.
    const parent = createRng(11);
    parent.uniform(); parent.normal();
    expect(esn({ units: 30, bias: 1 }, 2, parent).W.data).toEqual(base.W.data);
    // Lowering connectivity keeps the surviving entries' values (values and mask are separate streams) up to the sr rescale.
    const dense = randomMatrix(createRng(3).child('W'), 20, 20, 'normal', 1);
    const sparse = randomMatrix(createRng(3).child('W'), 20, 20, 'normal', 0.4);
    for (let k = 0; k < 400; k++) if (sparse.data[k] !== 0) expect(sparse.data[k]).toBe(dense.data[k]);
  });

  it('rescales W to the exact spectral radius (1e-12 relative)', () => {
    for (const [sr, distribution, connectivity] of [[0.9, 'normal', 0.1], [1.3, 'uniform', 1], [0.5, 'bernoulli', 0.2]] as const) {
      const net = esn({ units: 80, sr, distribution, connectivity }, 2, createRng(21));
      expect(Math.abs(spectralRadius(net.W) - sr) / sr).toBeLessThan(1e-12);
    }
  });

  it('connectivity masks have the requested density within a 5σ binomial bound', () => {
    // Each entry is kept independently with probability p: the kept fraction of m entries has σ = √(p(1−p)/m).
    for (const p of [0.05, 0.1, 0.5]) {
      const net = esn({ units: 200, connectivity: p, inputConnectivity: p }, 25, createRng(31));
      const sW = Math.sqrt(p * (1 - p) / 40000), sU = Math.sqrt(p * (1 - p) / 5000);
      expect(Math.abs(density(net.W.data) - p)).toBeLessThan(5 * sW);
      expect(Math.abs(density(net.U.data) - p)).toBeLessThan(5 * sU);
    }
    expect(density(esn({ units: 50, connectivity: 1, inputConnectivity: 1 }, 3, createRng(1)).U.data)).toBe(1);
  });

  it('draws the documented distributions (moments within 5σ)', () => {
    // m = 40000 draws each. normal: mean 0 (σ 1/√m), variance 1 (σ √(2/m)); uniform U(−1, 1): mean 0
    // (σ √(1/3m)), variance 1/3 (σ √(4/45m)); bernoulli ±1: mean 0 (σ 1/√m), all |x| = 1.
    const m = 40000;
    const stats = (a: Float64Array): [number, number] => {
      let s = 0, q = 0;
      for (const v of a) { s += v; q += v * v; }
      return [s / a.length, q / a.length - (s / a.length) ** 2];
    };
    const inScale = 2; // U = 2·draws: moments scale accordingly
    const draw = (d: 'normal' | 'uniform' | 'bernoulli'): Float64Array => esn({ units: 200, inputDistribution: d, inputConnectivity: 1, inputScaling: inScale }, 200, createRng(41)).U.data.map((v) => v / inScale);
    const [mn, vn] = stats(draw('normal'));
    expect(Math.abs(mn)).toBeLessThan(5 / Math.sqrt(m));
    expect(Math.abs(vn - 1)).toBeLessThan(5 * Math.sqrt(2 / m));
    const u = draw('uniform');
    const [mu, vu] = stats(u);
    expect(Math.abs(mu)).toBeLessThan(5 * Math.sqrt(1 / (3 * m)));
    expect(Math.abs(vu - 1 / 3)).toBeLessThan(5 * Math.sqrt(4 / (45 * m)));
    expect(u.every((v) => v >= -1 && v < 1)).toBe(true);
    const b = draw('bernoulli');
    expect(Math.abs(stats(b)[0])).toBeLessThan(5 / Math.sqrt(m));
    expect(b.every((v) => v === 1 || v === -1)).toBe(true);
  });

  it('fills defaults, honours activation/leak/bias and rejects bad fields by name', () => {
    const cfg = parseEsnConfig({});
    expect(cfg).toEqual({ units: 100, sr: 0.9, inputScaling: 1, connectivity: 0.1, inputConnectivity: 0.1, leakRate: 1, bias: 0, activation: 'tanh', distribution: 'normal' });
    const net = esn({ units: 10, activation: 'identity', leakRate: 0.3, connectivity: 1 }, 2, createRng(1));
    expect(net.activation).toBe('identity');
    expect(net.leakRate).toBe(0.3);
    expect(net.bias).toBeUndefined();
    expect(() => esn({ sr: -1 }, 2, createRng(1))).toThrow('esn: sr = -1: must be a number > 0');
    expect(() => esn({ units: 2.5 }, 2, createRng(1))).toThrow('esn: units = 2.5: must be an integer in [1, 4096]');
    expect(() => esn({ connectivity: 0 }, 2, createRng(1))).toThrow('esn: connectivity = 0: must be a number in (0, 1]');
    expect(() => esn({ distribution: 'cauchy' } as never, 2, createRng(1))).toThrow(/esn: distribution = "cauchy": must be one of/);
    expect(() => esn({ spectralRadius: 0.9 } as never, 2, createRng(1))).toThrow(/esn: unknown field "spectralRadius"; allowed fields: units, sr/);
    expect(() => esn({}, 0, createRng(1))).toThrow('esn: inputDim = 0: must be an integer in [1, 1000000]');
    expect(() => esn({ units: 3, connectivity: 0.01 }, 1, createRng(1))).toThrow(InputError);
  });
});
