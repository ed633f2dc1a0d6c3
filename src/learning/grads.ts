// Gradient accumulators per parameter block (null = frozen) and their conversion to scaled Mat/CMat blocks.
import { cmat, mat, type AnyMat } from '../core/types.js';
import type { Net } from './losses.js';
import type { BlockUpdates, Freeze } from './types.js';

/** Accumulated gradient-like sums (see kernels.ts); imaginary parts only for complex networks. */
export interface Acc {
  readonly gW: Float64Array | null;
  readonly gWi: Float64Array | null;
  readonly gU: Float64Array | null;
  readonly gUi: Float64Array | null;
  readonly gV: Float64Array | null;
  readonly gVi: Float64Array | null;
}

/** Zeroed accumulators for the free blocks of `net`. */
export function newAcc(net: Net, freeze: Freeze | undefined): Acc {
  const { n, nIn, nOut, complex } = net;
  const mk = (free: boolean, len: number): Float64Array | null => (free ? new Float64Array(len) : null);
  const fW = !freeze?.W, fU = !freeze?.U, fV = !freeze?.V;
  return {
    gW: mk(fW, n * n), gWi: mk(fW && complex, n * n),
    gU: mk(fU, n * nIn), gUi: mk(fU && complex, n * nIn),
    gV: mk(fV, nOut * n), gVi: mk(fV && complex, nOut * n),
  };
}

/** Sets every accumulator to zero. */
export function zeroAcc(a: Acc): void {
  for (const g of [a.gW, a.gWi, a.gU, a.gUi, a.gV, a.gVi]) g?.fill(0);
}

function block(rows: number, cols: number, re: Float64Array | null, im: Float64Array | null, scale: number): AnyMat | undefined {
  if (re === null) return undefined;
  const r = new Float64Array(re.length);
  for (let k = 0; k < re.length; k++) r[k] = scale * re[k]!;
  if (im === null) return mat(rows, cols, r);
  const i = new Float64Array(im.length);
  for (let k = 0; k < im.length; k++) i[k] = scale * im[k]!;
  return cmat(rows, cols, r, i);
}

/** New blocks scale·acc (fresh arrays); frozen blocks are absent. */
export function accToBlocks(net: Net, a: Acc, scale: number): BlockUpdates {
  const { n, nIn, nOut } = net;
  const dW = block(n, n, a.gW, a.gWi, scale);
  const dU = block(n, nIn, a.gU, a.gUi, scale);
  const dV = block(nOut, n, a.gV, a.gVi, scale);
  return { ...(dW && { dW }), ...(dU && { dU }), ...(dV && { dV }) };
}
