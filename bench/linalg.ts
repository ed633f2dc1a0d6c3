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

/** A workload whose (untimed) setup draws the matrix and whose timed call decomposes it. */
function decomposition(name: string, draw: () => ReturnType<typeof mat>, run: (A: ReturnType<typeof mat>) => unknown, repeats?: number): Workload {
  return { name, ...(repeats !== undefined && { repeats }), setup() { const A = draw(); return () => { run(A); }; } };
}

/**
 * The targets: eigh_N1000 (eigenvalues of a random symmetric 1000×1000), eig_N512 (eigenvalues of a random
 * real 512×512), svd_T20000_N128 (singular values of a random 20000×128). With vectors (`_vectors`): the same
 * matrices with eigen/singular vectors, a square 500×500 SVD and its pseudo-inverse, and a 2000×2000 symmetric
 * eigendecomposition (the size of the larger RNN Hessians).
 */
export const workloads: Workload[] = [
  decomposition('eigh_N1000', () => randomSymmetric(1000, 1), (A) => eigh(A, { vectors: false })),
  decomposition('eig_N512', () => randomMat(512, 512, 2), (A) => eig(A, { vectors: false })),
  decomposition('svd_T20000_N128', () => randomMat(20000, 128, 3), (A) => svd(A, { vectors: false })),
  decomposition('eigh_N1000_vectors', () => randomSymmetric(1000, 1), (A) => eigh(A, { vectors: true })),
  decomposition('eig_N512_vectors', () => randomMat(512, 512, 2), (A) => eig(A, { vectors: true })),
  decomposition('svd_T20000_N128_vectors', () => randomMat(20000, 128, 3), (A) => svd(A, { vectors: true })),
  decomposition('svd_N500_vectors', () => randomMat(500, 500, 4), (A) => svd(A, { vectors: true })),
  decomposition('pinv_N500', () => randomMat(500, 500, 4), (A) => pinv(A)),
  decomposition('eigh_N2000_vectors', () => randomSymmetric(2000, 5), (A) => eigh(A, { vectors: true }), 3),
];
