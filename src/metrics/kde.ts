// Gaussian kernel density estimate on a grid, and the density of eigenvalue moduli |eig(W)| (pole spectra).
//
// f̂(x) = (1/(n·h)) Σ_i φ((x − x_i)/h), φ the standard normal pdf, so f̂ has unit area over the real line.
// Bandwidth rules with ŝ the sample standard deviation (1/(n−1)): Silverman's normal-reference rule
// h = 1.06·ŝ·n^(−1/5) (Silverman, Density Estimation, 1986, Eq. 3.28; docs/theory/networks.md §7.1) and Scott's
// rule h = ŝ·n^(−1/5) (Scott, Multivariate Density Estimation, 1992; scipy's gaussian_kde 'scott' in 1-D).
// The eigenvalue density follows docs/theory/networks.md §7.1 (spectral radius, the fraction of
// poles with |λ| ≥ 1, the spread).
import { InputError, describeValue } from '../core/errors.js';
import type { CMat, Mat } from '../core/types.js';
import { eig } from '../linalg/eig.js';

/** Bandwidth: a rule name or a fixed positive number. */
export type Bandwidth = 'scott' | 'silverman' | number;

/** Result of {@link kde}. */
export interface Kde {
  /** f̂ at each grid point. */
  readonly density: Float64Array;
  /** Bandwidth h used. */
  readonly bandwidth: number;
}

function toArray(where: string, field: string, x: ArrayLike<number>): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') throw new InputError(field, `${where}: ${field} = ${describeValue(x)}: must be an array of numbers`);
  const a = Float64Array.from(x);
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i]!)) throw new InputError(field, `${where}: ${field}[${i}] = ${describeValue(x[i])}: must be finite`);
  return a;
}

/** Sample standard deviation with the 1/(n−1) normalisation (0 for n < 2). */
function sampleStd(x: Float64Array): number {
  const n = x.length;
  if (n < 2) return 0;
  let m = 0;
  for (const v of x) m += v;
  m /= n;
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return Math.sqrt(s / (n - 1));
}

/**
 * Bandwidth for `samples`: 'silverman' → 1.06·ŝ·n^(−1/5), 'scott' → ŝ·n^(−1/5), a number → itself (> 0).
 * Throws InputError when a rule gives 0 (fewer than 2 samples or zero spread): pass a numeric bandwidth then.
 */
export function kdeBandwidth(samples: ArrayLike<number>, rule: Bandwidth = 'silverman'): number {
  if (typeof rule === 'number') {
    if (!(rule > 0) || !Number.isFinite(rule)) throw new InputError('bandwidth', `kde: bandwidth = ${describeValue(rule)}: must be a finite number > 0, 'scott' or 'silverman'`);
    return rule;
  }
  if (rule !== 'scott' && rule !== 'silverman') throw new InputError('bandwidth', `kde: bandwidth = ${describeValue(rule)}: must be 'scott', 'silverman' or a number > 0`);
  const x = toArray('kde', 'samples', samples);
  const h = (rule === 'silverman' ? 1.06 : 1) * sampleStd(x) * x.length ** -0.2;
  if (!(h > 0)) {
    throw new InputError('bandwidth', `kde: bandwidth = "${rule}" gives 0 for ${x.length} sample(s) with zero spread; pass a numeric bandwidth`);
  }
  return h;
}

/** Gaussian KDE of `samples` evaluated at `grid` (any points), normalised to unit area over the real line. */
export function kde(samples: ArrayLike<number>, grid: ArrayLike<number>, opts: { bandwidth?: Bandwidth } = {}): Kde {
  const x = toArray('kde', 'samples', samples);
  if (x.length < 1) throw new InputError('samples', 'kde: samples = []: needs at least one sample');
  const g = toArray('kde', 'grid', grid);
  const h = kdeBandwidth(x, opts.bandwidth ?? 'silverman');
  const density = new Float64Array(g.length);
  const c = 1 / (x.length * h * Math.sqrt(2 * Math.PI));
  for (let k = 0; k < g.length; k++) {
    const gk = g[k]!;
    let s = 0;
    for (let i = 0; i < x.length; i++) {
      const u = (gk - x[i]!) / h;
      s += Math.exp(-0.5 * u * u);
    }
    density[k] = c * s;
  }
  return { density, bandwidth: h };
}

/** Result of {@link eigenvalueModulusDensity}. */
export interface EigenvalueModulusDensity {
  /** |λ_i| of W, sorted ascending. */
  readonly absEigenvalues: Float64Array;
  /** KDE of the moduli at the grid points (unit area over the real line). */
  readonly density: Float64Array;
  readonly bandwidth: number;
  /** max |λ_i|. */
  readonly spectralRadius: number;
  /** Fraction of eigenvalues with |λ| ≥ 1 (on or outside the unit circle: not asymptotically stable). */
  readonly fractionOutside: number;
  /** Sample standard deviation (1/(n−1)) of the moduli: the spread. */
  readonly std: number;
}

/**
 * Density of the eigenvalue moduli of a square W (real or complex) on `grid` (e.g. 301 points on [0, 1.5]),
 * by a Gaussian KDE with `bandwidth` (default 'silverman'), plus the spectral radius, the fraction of
 * moduli ≥ 1 and their spread.
 */
export function eigenvalueModulusDensity(W: Mat | CMat, grid: ArrayLike<number>, opts: { bandwidth?: Bandwidth } = {}): EigenvalueModulusDensity {
  const { values } = eig(W);
  const n = values.re.length;
  const mod = new Float64Array(n);
  for (let i = 0; i < n; i++) mod[i] = Math.hypot(values.re[i]!, values.im[i]!);
  mod.sort();
  let outside = 0;
  for (const m of mod) if (m >= 1) outside++;
  const { density, bandwidth } = kde(mod, grid, opts);
  return {
    absEigenvalues: mod, density, bandwidth,
    spectralRadius: n > 0 ? mod[n - 1]! : 0,
    fractionOutside: n > 0 ? outside / n : 0,
    std: sampleStd(mod),
  };
}
