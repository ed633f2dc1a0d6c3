// Benchmark workloads for the models and readouts: state harvesting (rollout), ridge fit (statistics + solve), RLS.
import { createRng } from '../src/core/rng.js';
import { mat, type Mat } from '../src/core/types.js';
import { esn } from '../src/models/reservoir.js';
import { rollout } from '../src/models/rnn.js';
import { fitRidge } from '../src/readouts/ridge.js';
import { runRls } from '../src/readouts/rls.js';
import type { Workload } from './workload.js';

const T = 20000;

function gaussian(rows: number, cols: number, seed: number, label: string): Mat {
  return mat(rows, cols, createRng(seed).child(label).fillNormal(new Float64Array(rows * cols)));
}

/**
 * harvest_<act>_N<n>: states of a dense random ESN (N units, ρ(W) = 0.9, input dimension 2, seed 1) over one
 * sequence of T = 20000 N(0, 1) inputs; the timed call is `rollout` into a reused states buffer (O(T·N²)).
 */
function harvest(activation: 'tanh' | 'identity', n: number): Workload {
  return {
    name: `harvest_${activation === 'tanh' ? 'tanh' : 'linear'}_N${n}`,
    repeats: n >= 512 ? 3 : 5,
    setup() {
      const net = esn({ units: n, sr: 0.9, connectivity: 1, inputConnectivity: 1, activation }, 2, createRng(1));
      const x = gaussian(T, 2, 2, 'x');
      // States go into one reused buffer, as in the C and numpy references (no fresh pages per call).
      const out = new Float64Array(T * n);
      return () => { rollout(net, x, { out }); };
    },
  };
}

/** The model/readout workloads (names are a contract of `npm run bench -- --json`). */
export const workloads: Workload[] = [
  harvest('tanh', 32),
  harvest('tanh', 128),
  harvest('tanh', 512),
  harvest('identity', 32),
  harvest('identity', 128),
  harvest('identity', 512),
  {
    // Ridge from states 20000×512 (N(0, 1) entries) to 2 outputs, λ = 1e-6: HᵀH/HᵀY statistics + Cholesky solve
    // (about 90% of the time is the Gram kernel's upper tiles; the setup checks that the Cholesky path runs).
    name: 'ridge_T20000_N512',
    repeats: 3,
    setup() {
      const H = gaussian(T, 512, 3, 'H'), Y = gaussian(T, 2, 3, 'Y');
      const solver = fitRidge(H, Y, { lambda: 1e-6 }).solver;
      if (solver !== 'cholesky') throw new Error(`ridge_T20000_N512: expected the Cholesky path, got solver "${solver}"`);
      return () => { fitRidge(H, Y, { lambda: 1e-6 }); };
    },
  },
  {
    // RLS over 20000 rows of 128 states, 2 outputs, forgetting 1, P_0 = I/1e-2: O(T·N²).
    name: 'rls_N128',
    setup() {
      const H = gaussian(T, 128, 4, 'H'), Y = gaussian(T, 2, 4, 'Y');
      return () => { runRls(H, Y, { forgetting: 1, delta: 1e-2 }); };
    },
  },
];
