// NARMA-k input/target series (nonlinear autoregressive moving average; Atiya & Parlos, IEEE TNN 11(3), 2000).
//
//   y(t+1) = 0.3·y(t) + 0.05·y(t)·Σ_{i=0}^{k−1} y(t−i) + 1.5·u(t−k+1)·u(t) + 0.1,   u(t) ~ U[0, 0.5] i.i.d.
//
// With k = 10 this is NARMA-10, the standard memory/nonlinearity benchmark of reservoir computing.
// y(t) = 0 for t ≤ 0 before the first input. The task is to predict y(t+1) from u(..t), i.e. target[t] = y(t+1).
import { inputError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** A NARMA series: inputs u (length T) and targets y (length T), target[t] = y(t+1) aligned with input[t]. */
export interface NarmaSeries {
  readonly input: Float64Array;
  readonly target: Float64Array;
}

/**
 * Generates a NARMA-`order` series of length T from `rng` (inputs U[0, 0.5]). If the recursion diverges
 * (a known rare event for some input draws), the series is redrawn from the same stream, at most 100 times.
 */
export function narma(T: number, rng: Rng, order = 10): NarmaSeries {
  if (!Number.isInteger(T) || T < 1) inputError('narma', 'T', T, 'must be an integer >= 1');
  if (!Number.isInteger(order) || order < 1) inputError('narma', 'order', order, 'must be an integer >= 1');
  for (let attempt = 0; attempt < 100; attempt++) {
    const u = rng.fillUniform(new Float64Array(T), 0, 0.5);
    const y = new Float64Array(T + 1); // y[t] = y(t), y[0] = 0 before the first input
    let ok = true;
    for (let t = 0; t < T; t++) {
      let s = 0;
      for (let i = 0; i < order; i++) if (t - i >= 0) s += y[t - i]!;
      const uOld = t - order + 1 >= 0 ? u[t - order + 1]! : 0;
      const next = 0.3 * y[t]! + 0.05 * y[t]! * s + 1.5 * uOld * u[t]! + 0.1;
      if (!Number.isFinite(next) || Math.abs(next) > 1e3) {
        ok = false;
        break;
      }
      y[t + 1] = next;
    }
    if (ok) return { input: u, target: y.subarray(1) };
  }
  throw new Error('narma: the recursion diverged for 100 consecutive input draws');
}
