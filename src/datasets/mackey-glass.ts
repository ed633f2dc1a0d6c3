// Mackey–Glass delay-differential equation integrated by RK4 with Hermite-interpolated history (method of steps).
//
//   dx/dt = β·x(t−τ) / (1 + x(t−τ)^n) − γ·x(t)        (Mackey & Glass, Science 197:287, 1977)
//
// Standard chaotic benchmark settings: β = 0.2, γ = 0.1, n = 10, τ = 17, constant history x(t) = x0 for t ≤ 0.
// Integration: classical RK4 with step h = τ/m (m integer), so delayed values at grid points are stored values;
// the delayed values RK4 needs at half steps are taken from the cubic Hermite interpolant of the stored
// trajectory (values and derivatives at both ends), which is O(h⁴) accurate and keeps the scheme 4th order
// (Bellen & Zennaro, Numerical Methods for Delay Differential Equations, OUP 2003, §3–4).
import { inputError } from '../core/errors.js';

/** Mackey–Glass parameters and sampling. */
export interface MackeyGlassOptions {
  /** Delay τ (time units). Default 17 (chaotic regime). */
  readonly tau?: number;
  /** Production rate β. Default 0.2. */
  readonly beta?: number;
  /** Decay rate γ. Default 0.1. */
  readonly gamma?: number;
  /** Hill exponent n. Default 10. */
  readonly n?: number;
  /** Constant history x(t) = x0 for t ≤ 0. Default 1.2. */
  readonly x0?: number;
  /** Number of integration steps per delay τ (h = τ/stepsPerTau). Default 170 (h = 0.1 for τ = 17). */
  readonly stepsPerTau?: number;
  /** Sampling interval of the returned series, in time units; must be a multiple of h. Default 1. */
  readonly sampleStep?: number;
  /** Initial transient to discard, in time units (a multiple of sampleStep). Default 0. */
  readonly discard?: number;
}

/**
 * Samples x(t_k), t_k = discard + k·sampleStep, k = 0..length−1, of the Mackey–Glass equation.
 * Deterministic (no randomness): the chaos comes from the dynamics.
 * @param length number of samples returned
 * @returns Float64Array of length `length`
 */
export function mackeyGlass(length: number, opts: MackeyGlassOptions = {}): Float64Array {
  const tau = opts.tau ?? 17, beta = opts.beta ?? 0.2, gamma = opts.gamma ?? 0.1, n = opts.n ?? 10;
  const x0 = opts.x0 ?? 1.2, m = opts.stepsPerTau ?? 170, sampleStep = opts.sampleStep ?? 1, discard = opts.discard ?? 0;
  const where = 'mackeyGlass';
  if (!Number.isInteger(length) || length < 0) inputError(where, 'length', length, 'must be an integer >= 0');
  if (!(tau > 0)) inputError(where, 'tau', tau, 'must be a number > 0');
  if (!Number.isInteger(m) || m < 1) inputError(where, 'stepsPerTau', m, 'must be an integer >= 1');
  for (const [k, v] of [['beta', beta], ['gamma', gamma], ['n', n], ['x0', x0]] as const) {
    if (!Number.isFinite(v)) inputError(where, k, v, 'must be a finite number');
  }
  const h = tau / m;
  const every = Math.round(sampleStep / h);
  if (!(sampleStep > 0) || Math.abs(every * h - sampleStep) > 1e-9 * sampleStep) {
    inputError(where, 'sampleStep', sampleStep, `must be a positive multiple of the integration step h = tau/stepsPerTau = ${h}`);
  }
  const skip = Math.round(discard / sampleStep);
  if (!(discard >= 0) || Math.abs(skip * sampleStep - discard) > 1e-9 * sampleStep) {
    inputError(where, 'discard', discard, 'must be a non-negative multiple of sampleStep');
  }
  const totalSteps = (skip + Math.max(length - 1, 0)) * every;
  // Ring buffers of the last m+1 grid values and derivatives: index (k mod (m+1)) holds t_k = k·h.
  const L = m + 1;
  const xs = new Float64Array(L), fs = new Float64Array(L);
  const prod = (d: number): number => (beta * d) / (1 + Math.pow(d, n));
  const rhs = (x: number, d: number): number => prod(d) - gamma * x;
  // History for t ≤ 0 is the constant x0 (derivative 0 there); grid values for k − m < 0 read x0.
  const hist = (k: number): number => (k < 0 ? x0 : xs[k % L]!);
  const histF = (k: number): number => (k < 0 ? 0 : fs[k % L]!);
  // Delayed value at t_{k−m} + h/2 from the Hermite cubic on [t_{k−m}, t_{k−m+1}] at θ = 1/2:
  // p(½) = (y0 + y1)/2 + h(f0 − f1)/8.
  const midDelayed = (k: number): number => {
    const j = k - m;
    if (j + 1 <= 0) return x0;
    return 0.5 * (hist(j) + hist(j + 1)) + (h * (histF(j) - histF(j + 1))) / 8;
  };
  const out = new Float64Array(length);
  let x = x0;
  xs[0] = x;
  fs[0] = rhs(x, hist(-m));
  let outIdx = 0;
  if (skip === 0 && length > 0) out[outIdx++] = x;
  for (let k = 0; k < totalSteps; k++) {
    const dNow = hist(k - m), dMid = midDelayed(k), dNext = hist(k + 1 - m);
    const k1 = rhs(x, dNow);
    const k2 = rhs(x + 0.5 * h * k1, dMid);
    const k3 = rhs(x + 0.5 * h * k2, dMid);
    const k4 = rhs(x + h * k3, dNext);
    x = x + (h / 6) * (k1 + 2 * k2 + 2 * k3 + k4);
    // Slot (k+1) mod L held t_{k+1−L} = t_{k−m}, which is no longer needed once dNow/dMid are computed.
    xs[(k + 1) % L] = x;
    fs[(k + 1) % L] = rhs(x, hist(k + 1 - m));
    const step = k + 1;
    if (step % every === 0) {
      const sample = step / every - skip;
      if (sample >= 0 && outIdx < length) out[outIdx++] = x;
    }
  }
  return out;
}
