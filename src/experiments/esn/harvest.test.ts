// Tests of the streaming harvest: chunked rollout = one rollout, block-summed ridge = fitRidge, divergence found where it happens.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { mat } from '../../core/types.js';
import { esn } from '../../models/reservoir.js';
import { rollout } from '../../models/rnn.js';
import { fitRidge, predict } from '../../readouts/ridge.js';
import { RowBlocks, StreamingRidge, blockPredictor, driveReservoir, ridgeBlockRows, rolloutChunkRows } from './harvest.js';

const n = 12, T = 103;
const net = esn({ units: n, sr: 0.9, connectivity: 0.5, inputConnectivity: 1, bias: 0.2, leakRate: 0.7 }, 1, createRng(3));
const u = createRng(4).fillUniform(new Float64Array(T), -1, 1);
const target = Float64Array.from(u, (v, t) => Math.sin(3 * v) + 0.1 * t / T);

/** All states of one rollout (T×N) and the readout features [h_t; u_t] of rows r0..r1−1. */
const full = rollout(net, mat(T, 1, u)).states.data;
function features(r0: number, r1: number): Float64Array {
  const F = new Float64Array((r1 - r0) * (n + 1));
  for (let t = r0; t < r1; t++) {
    F.set(full.subarray(t * n, (t + 1) * n), (t - r0) * (n + 1));
    F[(t - r0) * (n + 1) + n] = u[t]!;
  }
  return F;
}

describe('driveReservoir', () => {
  it('chunked states are bit-identical to one rollout, for any chunk size', () => {
    for (const rows of [1, 7, 50, T, 1000]) {
      const got = new Float64Array(T * n);
      let visited = 0;
      const diverged = driveReservoir(net, u, T, (states, t0, k) => {
        expect(t0).toBe(visited);
        got.set(states.subarray(0, k * n), t0 * n);
        visited += k;
      }, rows);
      expect(diverged).toBeUndefined();
      expect(visited).toBe(T);
      expect(got).toEqual(full);
    }
  });

  it('stops at the first non-finite state (same step as a scan of one rollout) and when the visitor says so', () => {
    // an identity reservoir with ρ = 1.5 grows like 1.5^t and overflows after a few hundred steps
    const lin = esn({ units: 6, sr: 1.5, activation: 'identity', connectivity: 1, inputConnectivity: 1 }, 1, createRng(9));
    const steps = 4000;
    const x = new Float64Array(steps).fill(1);
    const all = rollout(lin, mat(steps, 1, x)).states.data;
    const first = Math.floor(all.findIndex((v) => !Number.isFinite(v)) / 6);
    expect(first).toBeGreaterThan(100);
    let last = -1;
    expect(driveReservoir(lin, x, steps, (_s, t0, k) => { last = t0 + k; }, 64)).toBe(first);
    expect(last).toBeLessThanOrEqual(first); // the chunk holding the first bad state is not visited
    let chunks = 0;
    expect(driveReservoir(net, u, T, () => ++chunks < 2, 10)).toBeUndefined();
    expect(chunks).toBe(2);
  });

  it('chunk and block sizes follow the work budgets', () => {
    expect(rolloutChunkRows(2000, 1)).toBe(Math.floor(2 ** 28 / (2000 * 2001)));
    expect(rolloutChunkRows(1e6, 1)).toBe(1);
    expect(ridgeBlockRows(501)).toBeGreaterThanOrEqual(3000); // the largest preset training set is one block
  });
});

describe('StreamingRidge and blockPredictor', () => {
  const r0 = 10, r1 = 90;
  const F = features(r0, r1);
  const Y = target.slice(r0, r1);
  const ref = fitRidge(mat(r1 - r0, n + 1, F), mat(r1 - r0, 1, Y), { lambda: 1e-6, bias: true });
  const push = (sink: { push(s: Float64Array, off: number, u: number, y: number): void }): void => {
    for (let t = r0; t < r1; t++) sink.push(full, t * n, u[t]!, target[t]!);
  };

  it('one block is exactly fitRidge on the whole matrix', () => {
    const s = new StreamingRidge(n, r1 - r0);
    push(s);
    const fit = s.solve(1e-6);
    expect(fit.Wout.data).toEqual(ref.Wout.data);
    expect(fit.bias).toEqual(ref.bias);
  });

  it('summed blocks of 7 rows agree with fitRidge to rounding (1e-9 relative: a well-conditioned 13-feature solve)', () => {
    const s = new StreamingRidge(n, r1 - r0, 7);
    push(s);
    const fit = s.solve(1e-6);
    const scale = Math.max(...Array.from(ref.Wout.data, Math.abs));
    for (let j = 0; j <= n; j++) expect(Math.abs(fit.Wout.data[j]! - ref.Wout.data[j]!)).toBeLessThan(1e-9 * scale);
    expect(Math.abs(fit.bias![0]! - ref.bias![0]!)).toBeLessThan(1e-9 * Math.max(1, Math.abs(ref.bias![0]!)));
  });

  it('block predictions equal predict() on the whole matrix, in row order; RowBlocks hands over every row once', () => {
    const want = predict(mat(r1 - r0, n + 1, F), ref.Wout, ref.bias).data;
    for (const rows of [1, 9, 1000]) {
      const got: number[] = [], ys: number[] = [];
      const p = blockPredictor(n, r1 - r0, ref, (yhat, y) => { got.push(...yhat); ys.push(...y); }, rows);
      push(p);
      p.end();
      expect(got).toEqual(Array.from(want));
      expect(ys).toEqual(Array.from(Y));
    }
    let seen = 0;
    const b = new RowBlocks(n, 5, (f, y) => { seen += f.rows; expect(y.rows).toBe(f.rows); });
    for (let k = 0; k < 5; k++) b.push(full, k * n, 0, 0);
    b.end();
    b.end();
    expect(seen).toBe(5);
    expect(() => new StreamingRidge(n, 5).solve(1)).toThrow(/no rows/);
  });
});
