// Benchmark workloads for the dense decompositions (targets: within 5× of numpy single-thread, see docs/linalg.md).
import { createRng } from '../src/core/rng.js';
import { mat } from '../src/core/types.js';
import { eig } from '../src/linalg/eig.js';
import { eigh } from '../src/linalg/eigh.js';
import { pinv } from '../src/linalg/pinv.js';
import { svd } from '../src/linalg/svd.js';
import type { Workload } from './workload.js';

function randomSymmetric(n: number, seed: number): ReturnType<typeof mat> {
  const a = createRng(seed).child('A').fillNormal(new Float64Array(n * n));
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  return mat(n, n, a);
}

function randomMat(m: number, n: number, seed: number): ReturnType<typeof mat> {
  return mat(m, n, createRng(seed).child('A').fillNormal(new Float64Array(m * n)));
}

/**
 * The targets: eigh_N1000 (eigenvalues of a random symmetric 1000×1000), eig_N512 (eigenvalues of a random
 * real 512×512), svd_T20000_N128 (singular values of a random 20000×128). With vectors (`_vectors`): the same
 * matrices with eigen/singular vectors, a square 500×500 SVD and its pseudo-inverse, and a 2000×2000 symmetric
 * eigendecomposition (the size of the larger RNN Hessians).
 */
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
      const A = randomMat(512, 512, 2);
      return () => { eig(A, { vectors: false }); };
    },
  },
  {
    name: 'svd_T20000_N128',
    setup() {
      const A = randomMat(20000, 128, 3);
      return () => { svd(A, { vectors: false }); };
    },
  },
  {
    name: 'eigh_N1000_vectors',
    setup() {
      const A = randomSymmetric(1000, 1);
      return () => { eigh(A, { vectors: true }); };
    },
  },
  {
    name: 'eig_N512_vectors',
    setup() {
      const A = randomMat(512, 512, 2);
      return () => { eig(A, { vectors: true }); };
    },
  },
  {
    name: 'svd_T20000_N128_vectors',
    setup() {
      const A = randomMat(20000, 128, 3);
      return () => { svd(A, { vectors: true }); };
    },
  },
  {
    name: 'svd_N500_vectors',
    setup() {
      const A = randomMat(500, 500, 4);
      return () => { svd(A, { vectors: true }); };
    },
  },
  {
    name: 'pinv_N500',
    setup() {
      const A = randomMat(500, 500, 4);
      return () => { pinv(A); };
    },
  },
  {
    name: 'eigh_N2000_vectors',
    repeats: 3,
    setup() {
      const A = randomSymmetric(2000, 5);
      return () => { eigh(A, { vectors: true }); };
    },
  },
];
