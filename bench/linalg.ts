// Benchmark workloads for the dense decompositions (targets: within 5× of numpy single-thread, see docs/linalg.md).
import { createRng } from '../src/core/rng.js';
import { mat } from '../src/core/types.js';
import { eig } from '../src/linalg/eig.js';
import { eigh } from '../src/linalg/eigh.js';
import { svd } from '../src/linalg/svd.js';
import type { Workload } from './workload.js';

function randomSymmetric(n: number, seed: number): ReturnType<typeof mat> {
  const a = createRng(seed).child('A').fillNormal(new Float64Array(n * n));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return mat(n, n, a);
}

/** eigh_N1000: eigenvalues only of a random symmetric 1000×1000 (numpy: 0.125 s); eig_N512: eigenvalues of a
 * random real 512×512 (numpy: 0.42 s); svd_T20000_N128: singular values of a random 20000×128 (numpy: 0.42 s). */
export const workloads: Workload[] = [
  {
    name: 'eigh_N1000',
    setup() {
      const A = randomSymmetric(1000, 1);
      return () => { eigh(A, { vectors: false }); };
    },
  },
  {
    name: 'eig_N512',
    setup() {
      const A = mat(512, 512, createRng(2).child('A').fillNormal(new Float64Array(512 * 512)));
      return () => { eig(A, { vectors: false }); };
    },
  },
  {
    name: 'svd_T20000_N128',
    setup() {
      const A = mat(20000, 128, createRng(3).child('A').fillNormal(new Float64Array(20000 * 128)));
      return () => { svd(A, { vectors: false }); };
    },
  },
];
