// Benchmark workloads for the learning rules: batched BPTT and RFLO (forward + rule) and single-sequence RTRL.
import { createRng } from '../src/core/rng.js';
import { mat, type Mat, type SeqBatch } from '../src/core/types.js';
import { computeUpdate } from '../src/learning/rules.js';
import { randomNetwork } from '../src/theory/task.js';
import type { RnnParams } from '../src/learning/types.js';
import type { Workload } from './workload.js';

const N = 32, I = 2, O = 2, T = 100;

function setupNet(seed: number): RnnParams<Mat> {
  return randomNetwork(createRng(seed).child('net'), { n: N, nIn: I, nOut: O, spectralRadius: 0.9 });
}

function batch(seed: number, label: string, b: number, dim: number): SeqBatch {
  return { batch: b, steps: T, dim, data: createRng(seed).child(label).fillNormal(new Float64Array(b * T * dim)) };
}

/**
 * bptt_linear_N32_B64_T100: one forward + backward pass (the BPTT update of W, U, V) of a batch of 64
 * sequences, N = 32, I = O = 2, T = 100, sequence-mean loss. rtrl_linear_N32_T100: the RTRL update of one
 * such sequence (O(N⁴) per step). rflo_linear_N32_B64_T100: the RFLO (α = 0.5) update of the same batch.
 */
export const workloads: Workload[] = [
  {
    name: 'bptt_linear_N32_B64_T100',
    setup() {
      const p = setupNet(1), x = batch(1, 'x', 64, I), y = batch(1, 'y', 64, O);
      return () => { computeUpdate({ name: 'bptt' }, p, x, y, { loss: 'sequence-mean' }); };
    },
  },
  {
    name: 'rtrl_linear_N32_T100',
    repeats: 3,
    setup() {
      const p = setupNet(2), x = batch(2, 'x', 1, I), y = batch(2, 'y', 1, O);
      return () => { computeUpdate({ name: 'rtrl' }, p, x, y, { loss: 'sequence-mean' }); };
    },
  },
  {
    name: 'rflo_linear_N32_B64_T100',
    setup() {
      const p = setupNet(3), x = batch(3, 'x', 64, I), y = batch(3, 'y', 64, O);
      const B = mat(N, O, createRng(3).child('B').fillNormal(new Float64Array(N * O), 1 / Math.sqrt(N)));
      return () => { computeUpdate({ name: 'rflo', alpha: 0.5, B }, p, x, y, { loss: 'sequence-mean' }); };
    },
  },
];
