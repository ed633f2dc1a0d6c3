// Pole-form reservoirs: explicit or ring-initialised poles as real 2×2 rotation-scaling blocks or a complex diagonal W.
//
// Spec: docs/theory/networks.md §1.3 (modal form: N parallel first-order IIR filters with poles λ_i), §4.2
// (W = blkdiag(R(p_1), …), R(p) = [[Re p, −Im p], [Im p, Re p]], whose eigenvalues are p and p̄).
// Ring initialisation after the LRU (Orvieto et al., "Resurrecting recurrent neural networks for long
// sequences", ICML 2023, arXiv:2303.06349, Lemma 3.2): |λ|² uniform on [rmin², rmax²] (uniform on the ring's
// area, `radius: 'area'`, the LRU's choice) or |λ| uniform on [rmin, rmax] (`radius: 'uniform'`); phase
// uniform on [0, thetaMax]. Optional LRU input normalisation γ = √(1 − |λ|²) per unit.
import { z } from 'zod';
import { InputError, ShapeError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { cmat, mat, type CMat, type CVec, type Mat } from '../core/types.js';
import { Distribution, parseConfig, randomMatrix } from './reservoir.js';
import type { ComplexRnn, Rnn } from './rnn.js';
import { checkInt, checkObject, checkRng, checkF64, checkMatShape } from '../core/guards.js';

const RingPoles = z.object({
  kind: z.literal('ring'),
  /** Number of state units N (real-blocks: ⌊N/2⌋ conjugate pairs plus one real pole when N is odd). */
  units: z.number().int().min(1).max(4096).default(32),
  rmin: z.number().min(0).default(0.5),
  rmax: z.number().min(0).default(0.95),
  /** Largest phase (radians), in [0, 2π]; phases are uniform on [0, thetaMax]. */
  thetaMax: z.number().min(0).max(2 * Math.PI).default(Math.PI),
  radius: z.enum(['area', 'uniform']).default('area'),
}).strict();

const ExplicitPoles = z.object({
  kind: z.literal('explicit'),
  /** Poles as real numbers or [re, im] pairs. Real-blocks form: each non-real entry stands for the pair {p, p̄}. */
  values: z.array(z.union([z.number(), z.tuple([z.number(), z.number()])])).min(1),
}).strict();

/**
 * Pole-form reservoir configuration (zod, `.strict()`). Defaults: poles = ring {units 32, rmin 0.5, rmax 0.95,
 * thetaMax π, radius 'area'}, form 'real-blocks', inputScaling 1, inputDistribution 'normal', normalizeInput
 * false, no output matrix, activation 'identity', leakRate 1.
 */
export const PoleReservoirConfig = z.object({
  poles: z.discriminatedUnion('kind', [RingPoles, ExplicitPoles]).default({ kind: 'ring', units: 32, rmin: 0.5, rmax: 0.95, thetaMax: Math.PI, radius: 'area' }),
  /** 'real-blocks': real block-diagonal Rnn; 'complex-diagonal': ComplexRnn with W = diag(poles). */
  form: z.enum(['real-blocks', 'complex-diagonal']).default('real-blocks'),
  inputScaling: z.number().nonnegative().default(1),
  /** Entries of B: real draws (real-blocks) or complex ones (complex-diagonal; see docs/models.md). */
  inputDistribution: Distribution.default('normal'),
  /** Multiply each unit's input row by γ = √(1 − |λ|²) (LRU normalisation; needs every |λ| < 1). */
  normalizeInput: z.boolean().default(false),
  /** When given, also draw C (outputs×N) with N(0, 1/N) entries (CN(0, 1/N) complex) as the network's V. */
  outputs: z.number().int().min(1).optional(),
  activation: z.enum(['identity', 'tanh']).default('identity'),
  leakRate: z.number().gt(0).lte(1).default(1),
}).strict();

/** A validated pole-reservoir configuration. */
export type PoleReservoirConfig = z.output<typeof PoleReservoirConfig>;
/** What callers may pass to {@link poleReservoir}. */
export type PoleReservoirInput = z.input<typeof PoleReservoirConfig>;

const POLES_ALLOWED: Readonly<Record<string, string>> = {
  poles: "must be {kind: 'ring', units, rmin, rmax, thetaMax, radius} or {kind: 'explicit', values: [p | [re, im], ...]}",
  'poles.units': 'must be an integer in [1, 4096]',
  'poles.rmin': 'must be a number >= 0',
  'poles.rmax': 'must be a number >= 0',
  'poles.thetaMax': 'must be a number in [0, 2π]',
  'poles.radius': "must be one of 'area', 'uniform'",
  'poles.values': 'must be a non-empty array of numbers or [re, im] pairs of finite numbers',
  form: "must be one of 'real-blocks', 'complex-diagonal'",
  inputScaling: 'must be a number >= 0',
  inputDistribution: "must be one of 'normal', 'uniform', 'bernoulli'",
  normalizeInput: 'must be a boolean',
  outputs: 'must be an integer >= 1',
  activation: "must be one of 'identity', 'tanh'",
  leakRate: 'must be a number in (0, 1]',
};

/** Validates a pole-reservoir configuration and fills defaults; throws InputError naming the field. */
export function parsePoleReservoirConfig(input: unknown): PoleReservoirConfig {
  const cfg = parseConfig('poleReservoir', PoleReservoirConfig, input ?? {}, POLES_ALLOWED);
  const p = cfg.poles;
  if (p.kind === 'ring' && p.rmin > p.rmax) {
    throw new InputError('poles.rmin', `poleReservoir: poles.rmin = ${p.rmin}: must be <= poles.rmax (= ${p.rmax})`);
  }
  if (cfg.form === 'complex-diagonal' && cfg.activation !== 'identity') {
    throw new InputError('activation', `poleReservoir: activation = "${cfg.activation}": the complex-diagonal form supports only 'identity' (tanh is real-only)`);
  }
  return cfg;
}

/**
 * `count` poles on the ring rmin ≤ |λ| ≤ rmax with phase in [0, thetaMax]. radius 'area' (LRU): |λ| = √(rmin² +
 * u·(rmax² − rmin²)); 'uniform': |λ| = rmin + u·(rmax − rmin); u, v ~ U[0, 1) and phase v·thetaMax, drawn in pairs
 * (u_k, v_k) from `rng`.
 */
export function ringPoles(count: number, opts: { rmin: number; rmax: number; thetaMax: number; radius: 'area' | 'uniform' }, rng: Rng): CVec {
  checkInt('ringPoles', 'count', count, 0);
  checkObject('ringPoles', 'opts', opts, 'an object {rmin, rmax, thetaMax, radius}');
  const { rmin: r0, rmax: r1, thetaMax: th, radius: rad } = opts;
  if (typeof r0 !== 'number' || !(r0 >= 0) || !Number.isFinite(r0)) throw new InputError('rmin', `ringPoles: rmin = ${describeValue(r0)}: must be a finite number >= 0`);
  if (typeof r1 !== 'number' || !(r1 >= r0) || !Number.isFinite(r1)) throw new InputError('rmax', `ringPoles: rmax = ${describeValue(r1)}: must be a finite number >= rmin (${r0})`);
  if (typeof th !== 'number' || !Number.isFinite(th)) throw new InputError('thetaMax', `ringPoles: thetaMax = ${describeValue(th)}: must be a finite number`);
  if (rad !== 'area' && rad !== 'uniform') throw new InputError('radius', `ringPoles: radius = ${describeValue(rad)}: must be "area" or "uniform"`);
  checkRng('ringPoles', 'rng', rng);
  const { rmin, rmax, thetaMax, radius } = opts;
  const re = new Float64Array(count), im = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const u = rng.uniform(), v = rng.uniform();
    const r = radius === 'area' ? Math.sqrt(rmin * rmin + u * (rmax * rmax - rmin * rmin)) : rmin + u * (rmax - rmin);
    const th = v * thetaMax;
    re[k] = r * Math.cos(th);
    im[k] = r * Math.sin(th);
  }
  return { re, im };
}

/**
 * Real block-diagonal matrix with the given poles: a real pole (im = 0) is a 1×1 block, a non-real pole p a 2×2
 * block R(p) = [[Re p, −Im p], [Im p, Re p]] with eigenvalues p and p̄. Size = Σ (1 or 2).
 */
export function blockDiagonalFromPoles(poles: CVec): Mat {
  checkObject('blockDiagonalFromPoles', 'poles', poles, 'a CVec {re, im}');
  checkF64('blockDiagonalFromPoles', 'poles.re', poles.re);
  checkF64('blockDiagonalFromPoles', 'poles.im', poles.im);
  const k = poles.re.length;
  if (poles.im.length !== k) throw new ShapeError('poles', `blockDiagonalFromPoles: poles.re has length ${k}, poles.im ${poles.im.length}`);
  const widths = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    if (!Number.isFinite(poles.re[i]!) || !Number.isFinite(poles.im[i]!)) {
      throw new InputError('poles', `blockDiagonalFromPoles: poles[${i}] = ${poles.re[i]} + ${poles.im[i]}i: must be finite`);
    }
    widths[i] = poles.im[i] === 0 ? 1 : 2;
  }
  return blocksToMatrix(poles, widths);
}

/** Block-diagonal matrix from poles and block widths (1: the real part alone; 2: R(p)). */
function blocksToMatrix(poles: CVec, widths: Uint8Array): Mat {
  let n = 0;
  for (let i = 0; i < widths.length; i++) n += widths[i]!;
  const W = mat(n, n);
  const d = W.data;
  let o = 0;
  for (let i = 0; i < widths.length; i++) {
    const a = poles.re[i]!, b = poles.im[i]!;
    if (widths[i] === 1) { d[o * n + o] = a; o += 1; continue; }
    d[o * n + o] = a; d[o * n + o + 1] = -b;
    d[(o + 1) * n + o] = b; d[(o + 1) * n + o + 1] = a;
    o += 2;
  }
  return W;
}

/**
 * Inverse of {@link blockDiagonalFromPoles}: one pole per block, p = W[i,i] + i·W[i+1,i] for a 2×2
 * rotation-scaling block, W[i,i] for a 1×1 block. Throws InputError when W is not block-diagonal with such blocks.
 */
export function polesOfBlockDiagonal(W: Mat): CVec {
  checkMatShape('polesOfBlockDiagonal', 'W', W, 'real');
  const n = W.rows;
  if (W.cols !== n) throw new ShapeError('W', `polesOfBlockDiagonal: W is ${W.rows}×${W.cols}, expected a square matrix`);
  const d = W.data;
  const re: number[] = [], im: number[] = [];
  const blockOf = new Int32Array(n);
  let i = 0;
  while (i < n) {
    const two = i + 1 < n && (d[(i + 1) * n + i] !== 0 || d[i * n + i + 1] !== 0);
    if (two) {
      const a = d[i * n + i]!, b = d[(i + 1) * n + i]!;
      if (d[(i + 1) * n + i + 1] !== a || d[i * n + i + 1] !== -b) {
        throw new InputError('W', `polesOfBlockDiagonal: block at rows ${i}..${i + 1} is [[${a}, ${d[i * n + i + 1]}], [${b}, ${d[(i + 1) * n + i + 1]}]], not a rotation-scaling block [[a, −b], [b, a]]`);
      }
      re.push(a); im.push(b);
      blockOf[i] = blockOf[i + 1] = re.length - 1;
      i += 2;
    } else {
      re.push(d[i * n + i]!); im.push(0);
      blockOf[i] = re.length - 1;
      i += 1;
    }
  }
  for (let r = 0; r < n; r++) for (let c = 0; c < n; c++) {
    if (blockOf[r] !== blockOf[c] && d[r * n + c] !== 0) {
      throw new InputError('W', `polesOfBlockDiagonal: W[${r}, ${c}] = ${d[r * n + c]} lies outside the diagonal blocks`);
    }
  }
  return { re: Float64Array.from(re), im: Float64Array.from(im) };
}

/** Complex B (rows×cols) for the complex-diagonal form: normal → CN(0, 1); uniform → Re, Im ~ U(−1, 1); bernoulli → (±1 ± i)/√2. */
function complexInput(rng: Rng, rows: number, cols: number, dist: Distribution, scale: number): CMat {
  const re = randomMatrix(rng.child('re'), rows, cols, dist, 1, scale).data;
  const im = randomMatrix(rng.child('im'), rows, cols, dist, 1, scale).data;
  if (dist !== 'uniform') for (let k = 0; k < re.length; k++) { re[k]! *= Math.SQRT1_2; im[k]! *= Math.SQRT1_2; }
  return cmat(rows, cols, re, im);
}

/**
 * Builds a pole-form reservoir. Poles come from `cfg.poles` (explicit list, or a ring drawn from
 * rng.child('poles')); B (N×inputDim) = inputScaling · draws from rng.child('B'); C (outputs×N) from
 * rng.child('C') when `outputs` is set. Form 'real-blocks' returns an Rnn with W = blockDiagonalFromPoles
 * (ring poles always give 2×2 blocks); 'complex-diagonal' returns a ComplexRnn with W = diag(poles), one unit
 * per listed pole (conjugates are not added). No bias.
 */
export function poleReservoir(cfg: PoleReservoirInput & { form: 'complex-diagonal' }, inputDim: number, rng: Rng): ComplexRnn;
export function poleReservoir(cfg: PoleReservoirInput & { form?: 'real-blocks' }, inputDim: number, rng: Rng): Rnn;
export function poleReservoir(cfg: PoleReservoirInput, inputDim: number, rng: Rng): Rnn | ComplexRnn;
export function poleReservoir(config: PoleReservoirInput, inputDim: number, rng: Rng): Rnn | ComplexRnn {
  const cfg = parsePoleReservoirConfig(config);
  if (!Number.isInteger(inputDim) || inputDim < 1 || inputDim > 1_000_000) {
    throw new InputError('inputDim', `poleReservoir: inputDim = ${describeValue(inputDim)}: must be an integer in [1, 1000000]`);
  }
  if (typeof rng?.child !== 'function') throw new InputError('rng', `poleReservoir: rng = ${describeValue(rng)}: must be an Rng (createRng(seed))`);
  const complex = cfg.form === 'complex-diagonal';
  const p = cfg.poles;
  // Block width of each pole: 1 for a unit carrying one pole, 2 for a real 2×2 block R(p) carrying {p, p̄}.
  let poles: CVec;
  let widths: Uint8Array;
  if (p.kind === 'explicit') {
    const k = p.values.length;
    poles = { re: new Float64Array(k), im: new Float64Array(k) };
    widths = new Uint8Array(k);
    p.values.forEach((v, i) => {
      const [a, b] = typeof v === 'number' ? [v, 0] : v;
      poles.re[i] = a; poles.im[i] = b;
      widths[i] = complex || b === 0 ? 1 : 2;
    });
  } else if (complex) {
    poles = ringPoles(p.units, p, rng.child('poles'));
    widths = new Uint8Array(p.units).fill(1);
  } else {
    // ⌊N/2⌋ pairs as 2×2 blocks (even for a probability-zero zero phase), plus one real pole when N is odd.
    const pairs = Math.floor(p.units / 2), odd = p.units % 2;
    poles = ringPoles(pairs + odd, p, rng.child('poles'));
    widths = new Uint8Array(pairs + odd).fill(2);
    if (odd === 1) {
      poles.re[pairs] = Math.hypot(poles.re[pairs]!, poles.im[pairs]!);
      poles.im[pairs] = 0;
      widths[pairs] = 1;
    }
  }
  const W = complex ? null : blocksToMatrix(poles, widths);
  // Modulus of the pole carried by each state unit (for the LRU normalisation γ).
  const modulus: number[] = [];
  for (let i = 0; i < widths.length; i++) for (let w = 0; w < widths[i]!; w++) modulus.push(Math.hypot(poles.re[i]!, poles.im[i]!));
  const n = modulus.length;
  if (cfg.normalizeInput) {
    for (let i = 0; i < n; i++) {
      if (!(modulus[i]! < 1)) throw new InputError('normalizeInput', `poleReservoir: normalizeInput = true needs every |pole| < 1, but unit ${i} has |pole| = ${modulus[i]}`);
    }
  }
  const gamma = (i: number): number => (cfg.normalizeInput ? Math.sqrt(1 - modulus[i]! * modulus[i]!) : 1);
  const brng = rng.child('B');
  if (complex) {
    const B = complexInput(brng, n, inputDim, cfg.inputDistribution, cfg.inputScaling);
    for (let i = 0; i < n; i++) for (let j = 0; j < inputDim; j++) { B.re[i * inputDim + j]! *= gamma(i); B.im[i * inputDim + j]! *= gamma(i); }
    const Wc = cmat(n, n);
    for (let i = 0; i < n; i++) { Wc.re[i * n + i] = poles.re[i]!; Wc.im[i * n + i] = poles.im[i]!; }
    const net: ComplexRnn = { W: Wc, U: B, activation: 'identity', leakRate: cfg.leakRate };
    if (cfg.outputs === undefined) return net;
    const C = complexInput(rng.child('C'), cfg.outputs, n, 'normal', 1 / Math.sqrt(n));
    return { ...net, V: C };
  }
  const B = randomMatrix(brng, n, inputDim, cfg.inputDistribution, 1, cfg.inputScaling);
  for (let i = 0; i < n; i++) for (let j = 0; j < inputDim; j++) B.data[i * inputDim + j]! *= gamma(i);
  const net: Rnn = { W: W!, U: B, activation: cfg.activation, leakRate: cfg.leakRate };
  if (cfg.outputs === undefined) return net;
  return { ...net, V: randomMatrix(rng.child('C'), cfg.outputs, n, 'normal', 1, 1 / Math.sqrt(n)) };
}
