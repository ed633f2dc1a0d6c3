// WebAssembly SIMD implementation of the linalg family (asm/linalg/): every step keeps its matrices in linear memory.
//
// A decomposition step copies its matrix into the backend's one Runtime once, works there for the whole
// factorisation and copies its factors out once (wasm-eigh.ts, wasm-eig.ts, wasm-qr.ts, wasm-svd.ts). The
// algorithms are those of the JS family (./js.ts), operation for operation where the notes there say so.
import { bdsqr } from '../../linalg/bdsqr.js';
import type { Runtime } from '../wasm/runtime.js';
import type { LinalgKernels } from './types.js';
import { eigRealWasm } from './wasm-eig.js';
import { eighRealWasm } from './wasm-eigh.js';
import { applyQWasm, qrFactorWasm } from './wasm-qr.js';
import { bidiagSvdWasm, bidiagValuesWasm } from './wasm-svd.js';

/** The linalg family on the backend's runtime `rt`. */
export function wasmLinalg(rt: Runtime): LinalgKernels {
  return {
    name: 'wasm',
    eighReal: (n, data, scale, d, wantV) => eighRealWasm(rt, n, data, scale, d, wantV),
    eigReal: (n, h, wantV, wr, wi, where) => eigRealWasm(rt, n, h, wantV, wr, wi, where),
    qrFactor(m, n, a, tau) {
      if (Math.min(m, n) > 0) qrFactorWasm(rt, m, n, a, tau);
    },
    applyQ(m, n, k, f, tau, c, p, adjoint, formQ) {
      if (k > 0 && p > 0) applyQWasm(rt, m, n, k, f, tau, c, p, adjoint, formQ);
    },
    bidiagValues(rows, n, w) {
      const d = new Float64Array(n), e = new Float64Array(Math.max(n, 1));
      bidiagValuesWasm(rt, rows, n, w, d, e);
      bdsqr(n, d, e, null, null, 'svd');
      return d;
    },
    bidiagSvd: (rows, n, w) => bidiagSvdWasm(rt, rows, n, w),
  };
}
