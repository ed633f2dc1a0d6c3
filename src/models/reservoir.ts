// Random echo-state-network builder: W, U and bias drawn from named RNG streams, W rescaled to an exact spectral radius.
//
// Spec: docs/theory/networks.md §4.1 (ESN: fixed random W with ρ(W) < 1, trained readout; the receivers' random ESN:
// W rescaled to ρ = 0.9, input scaling ι, tanh or identity). Hyperparameter names follow ReservoirPy's Reservoir
// (units, sr, input_scaling, rc_connectivity, input_connectivity, lr, bias_scaling); see docs/models.md for the
// mapping and where our defaults differ. Each matrix has its own child stream (rng.child('W'), 'U', 'bias'),
// so changing one initialiser never changes another's draw.
import { z } from 'zod';
import { InputError, describeValue } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { mat, type Mat } from '../core/types.js';
import { frobenius } from '../linalg/dense.js';
import { spectralRadius } from '../linalg/spectral.js';
import type { Rnn } from './rnn.js';
import { checkRng } from '../core/guards.js';

/** Entry distribution of a random matrix: N(0, 1), U(−1, 1) or ±1 with probability ½ each. */
export const Distribution = z.enum(['normal', 'uniform', 'bernoulli']);
/** Entry distribution name. */
export type Distribution = z.infer<typeof Distribution>;

/**
 * ESN hyperparameters (zod schema, `.strict()`: unknown fields are rejected). Defaults:
 * units 100, sr 0.9, inputScaling 1, connectivity 0.1, inputConnectivity 0.1, leakRate 1, bias 0 (no bias),
 * activation 'tanh', distribution 'normal', inputDistribution = distribution when omitted.
 */
export const EsnConfig = z.object({
  /** Number of reservoir units N (1..4096). */
  units: z.number().int().min(1).max(4096).default(100),
  /** Spectral radius ρ(W) after rescaling (> 0); the drawn W is multiplied by sr / ρ(W_drawn). */
  sr: z.number().positive().default(0.9),
  /** Input gain: U = inputScaling · (masked draws). */
  inputScaling: z.number().nonnegative().default(1),
  /** Density of W in (0, 1]: each entry is kept independently with this probability. */
  connectivity: z.number().gt(0).lte(1).default(0.1),
  /** Density of U in (0, 1]. */
  inputConnectivity: z.number().gt(0).lte(1).default(0.1),
  /** Leak rate a in (0, 1]. */
  leakRate: z.number().gt(0).lte(1).default(1),
  /** Bias scaling: bias = bias · (dense draws from inputDistribution); 0 = no bias vector. */
  bias: z.number().nonnegative().default(0),
  activation: z.enum(['identity', 'tanh']).default('tanh'),
  /** Distribution of W's entries (its scale is irrelevant: W is rescaled to sr). */
  distribution: Distribution.default('normal'),
  /** Distribution of U's and the bias's entries; defaults to `distribution`. */
  inputDistribution: Distribution.optional(),
}).strict();

/** A validated ESN configuration (all defaults filled in). */
export type EsnConfig = z.output<typeof EsnConfig>;
/** What callers may pass to {@link esn}: every field optional. */
export type EsnConfigInput = z.input<typeof EsnConfig>;

const ESN_ALLOWED: Readonly<Record<string, string>> = {
  units: 'must be an integer in [1, 4096]',
  sr: 'must be a number > 0',
  inputScaling: 'must be a number >= 0',
  connectivity: 'must be a number in (0, 1]',
  inputConnectivity: 'must be a number in (0, 1]',
  leakRate: 'must be a number in (0, 1]',
  bias: 'must be a number >= 0',
  activation: "must be one of 'identity', 'tanh'",
  distribution: "must be one of 'normal', 'uniform', 'bernoulli'",
  inputDistribution: "must be one of 'normal', 'uniform', 'bernoulli'",
};

function valueAt(input: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/**
 * Parses `input` with a zod schema and turns the first problem into an InputError in the project's format:
 * `<where>: <field> = <value>: <allowed>` (unknown fields: `<where>: unknown field "x"; allowed fields: ...`).
 * `allowed` maps a field path ("sr", "poles.rmin") to its rule; the longest matching prefix of the failing
 * path wins, and zod's own message is used when none matches.
 */
export function parseConfig<S extends z.ZodType>(where: string, schema: S, input: unknown,
  allowed: Readonly<Record<string, string>>): z.output<S> {
  if (typeof (schema as { safeParse?: unknown } | null)?.safeParse !== 'function') throw new InputError('schema', `${String(where)}: schema = ${describeValue(schema)}: must be a zod schema`);
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues;
  const unknownKeys = issues.find((i) => i.code === 'unrecognized_keys');
  if (unknownKeys !== undefined && unknownKeys.code === 'unrecognized_keys') {
    const prefix = unknownKeys.path.length > 0 ? `${unknownKeys.path.join('.')}.` : '';
    const k = `${prefix}${unknownKeys.keys[0]!}`;
    const known = unknownKeys.path.length === 0 ? `; allowed fields: ${Object.keys(allowed).join(', ')}` : '';
    throw new InputError(k, `${where}: unknown field "${k}"${known}`);
  }
  const issue = issues[0]!;
  if (issue.path.length === 0) throw new InputError('config', `${where}: config = ${describeValue(input)}: must be an object (${issue.message})`);
  const field = issue.path.map(String).join('.');
  // The most specific rule: "poles.values.2.1" falls back to "poles.values", then "poles".
  let rule: string | undefined;
  for (let k = issue.path.length; k > 0 && rule === undefined; k--) rule = allowed[issue.path.slice(0, k).map(String).join('.')];
  rule ??= issue.message;
  throw new InputError(field, `${where}: ${field} = ${describeValue(valueAt(input, issue.path))}: ${rule}`);
}

/** Validates an ESN configuration and fills in defaults; throws InputError naming the field (`esn: sr = -1: must be a number > 0`). */
export function parseEsnConfig(input: unknown): EsnConfig {
  return parseConfig('esn', EsnConfig, input ?? {}, ESN_ALLOWED);
}

/** One draw from `dist`: N(0, 1), U(−1, 1) or ±1. */
function draw(rng: Rng, dist: Distribution): number {
  if (dist === 'normal') return rng.normal();
  if (dist === 'uniform') return 2 * rng.uniform() - 1;
  return rng.uniform() < 0.5 ? -1 : 1;
}

/**
 * Random rows×cols matrix `scale · (M ⊙ X)`: X has i.i.d. entries from `dist` drawn from rng.child('values'),
 * M is an i.i.d. Bernoulli(`density`) mask drawn from rng.child('mask') (skipped when density = 1).
 * Because values and mask come from separate streams, changing the density only changes which entries are kept.
 */
export function randomMatrix(rng: Rng, rows: number, cols: number, dist: Distribution, density = 1, scale = 1): Mat {
  checkRng('randomMatrix', 'rng', rng);
  if (!(Distribution.options as readonly unknown[]).includes(dist)) throw new InputError('dist', `randomMatrix: dist = ${describeValue(dist)}: must be one of ${Distribution.options.map((o) => JSON.stringify(o)).join(', ')}`);
  if (typeof density !== 'number' || !(density >= 0 && density <= 1)) throw new InputError('density', `randomMatrix: density = ${describeValue(density)}: must be a number in [0, 1]`);
  if (typeof scale !== 'number' || !Number.isFinite(scale)) throw new InputError('scale', `randomMatrix: scale = ${describeValue(scale)}: must be a finite number`);
  const m = mat(rows, cols);
  const d = m.data;
  const values = rng.child('values');
  for (let k = 0; k < d.length; k++) d[k] = scale * draw(values, dist);
  if (density < 1) {
    const mask = rng.child('mask');
    for (let k = 0; k < d.length; k++) if (!(mask.uniform() < density)) d[k] = 0;
  }
  return m;
}

/**
 * Draws a random ESN: W (N×N) with density `connectivity`, rescaled so that ρ(W) = sr exactly (up to the
 * eigenvalue solver's rounding, ~1e-12 relative); U (N×inputDim) = inputScaling · masked draws with density
 * `inputConnectivity`; bias (N) = bias · draws when bias > 0. A pure function of (config, rng):
 * W from rng.child('W'), U from rng.child('U'), bias from rng.child('bias').
 * Throws InputError for a bad config or inputDim, and when the drawn W has (numerically) zero spectral
 * radius so that no rescaling can reach `sr` (too sparse: raise connectivity or units).
 */
export function esn(config: EsnConfigInput, inputDim: number, rng: Rng): Rnn {
  const cfg = parseEsnConfig(config);
  if (!Number.isInteger(inputDim) || inputDim < 1 || inputDim > 1_000_000) {
    throw new InputError('inputDim', `esn: inputDim = ${describeValue(inputDim)}: must be an integer in [1, 1000000]`);
  }
  if (typeof rng?.child !== 'function') throw new InputError('rng', `esn: rng = ${describeValue(rng)}: must be an Rng (createRng(seed))`);
  const n = cfg.units;
  const inDist = cfg.inputDistribution ?? cfg.distribution;
  const W = randomMatrix(rng.child('W'), n, n, cfg.distribution, cfg.connectivity);
  const rho = spectralRadius(W);
  const fro = frobenius(W);
  // A genuine random W has ρ ≈ ‖W‖_F/√N; a numerically nilpotent one (very sparse) has ρ ≪ that.
  if (!(rho > 1e-3 * fro / Math.sqrt(n)) || !Number.isFinite(rho)) {
    throw new InputError('connectivity', `esn: connectivity = ${cfg.connectivity}: the drawn W (units = ${n}) has spectral radius ${rho} ` +
      `(numerically zero) and cannot be rescaled to sr = ${cfg.sr}; increase connectivity or units`);
  }
  const s = cfg.sr / rho;
  for (let k = 0; k < W.data.length; k++) W.data[k]! *= s;
  const U = randomMatrix(rng.child('U'), n, inputDim, inDist, cfg.inputConnectivity, cfg.inputScaling);
  const net: Rnn = { W, U, activation: cfg.activation, leakRate: cfg.leakRate };
  if (cfg.bias === 0) return net;
  const b = randomMatrix(rng.child('bias'), n, 1, inDist, 1, cfg.bias).data;
  return { ...net, bias: b };
}
