// Gradient accumulators per parameter block (null = frozen or absent) and their conversion to scaled Mat/CMat/Vec blocks.
import { cmat, mat, type AnyMat, type CVec, type Vec } from '../core/types.js';
import type { Net } from './losses.js';
import type { BlockUpdates, Freeze } from './types.js';

/**
 * Accumulated gradient-like sums (see kernels.ts); imaginary parts only for complex networks. gV is O×F (all
 * readout features); gb exists only when the network has a bias that is not frozen. gVh/gVhi are scratch (O×N) for
 * the state part of the readout gradient when F > N (the kernels write O×N blocks), null when F = N.
 */
export interface Acc {
  readonly gW: Float64Array | null;
  readonly gWi: Float64Array | null;
  readonly gU: Float64Array | null;
  readonly gUi: Float64Array | null;
  readonly gb: Float64Array | null;
  readonly gbi: Float64Array | null;
  readonly gV: Float64Array | null;
  readonly gVi: Float64Array | null;
  readonly gVh: Float64Array | null;
  readonly gVhi: Float64Array | null;
}

/** Sizes an accumulator set depends on. */
export type AccShape = Pick<Net, 'n' | 'nIn' | 'nOut' | 'nF' | 'complex'> & { readonly b: Float64Array | null };

/**
 * Accumulators for the free blocks of a network, each from `mk(slot, len)` (zeroed arrays), in the slots named as
 * the fields. b is free when the network has a bias and freeze.b is not set.
 */
export function makeAcc(shape: AccShape, freeze: Freeze | undefined,
  mk: (slot: 'gW' | 'gWi' | 'gU' | 'gUi' | 'gb' | 'gbi' | 'gV' | 'gVi' | 'gVh' | 'gVhi', len: number) => Float64Array): Acc {
  const { n, nIn, nOut, nF, complex } = shape;
  const fW = !freeze?.W, fU = !freeze?.U, fV = !freeze?.V, fb = shape.b !== null && !freeze?.b;
  const split = fV && nF !== n;
  return {
    gW: fW ? mk('gW', n * n) : null, gWi: fW && complex ? mk('gWi', n * n) : null,
    gU: fU ? mk('gU', n * nIn) : null, gUi: fU && complex ? mk('gUi', n * nIn) : null,
    gb: fb ? mk('gb', n) : null, gbi: fb && complex ? mk('gbi', n) : null,
    gV: fV ? mk('gV', nOut * nF) : null, gVi: fV && complex ? mk('gVi', nOut * nF) : null,
    gVh: split ? mk('gVh', nOut * n) : null, gVhi: split && complex ? mk('gVhi', nOut * n) : null,
  };
}

/** Zeroed accumulators for the free blocks of `net` (fresh arrays). */
export function newAcc(net: Net, freeze: Freeze | undefined): Acc {
  return makeAcc(net, freeze, (_slot, len) => new Float64Array(len));
}

/** Sets every accumulator to zero. */
export function zeroAcc(a: Acc): void {
  for (const g of [a.gW, a.gWi, a.gU, a.gUi, a.gb, a.gbi, a.gV, a.gVi]) g?.fill(0);
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

/** New blocks scale·acc (fresh arrays); frozen and absent blocks are absent. db is a Vec (real) or CVec (complex). */
export function accToBlocks(net: Net, a: Acc, scale: number): BlockUpdates {
  const { n, nIn, nOut, nF } = net;
  const dW = block(n, n, a.gW, a.gWi, scale);
  const dU = block(n, nIn, a.gU, a.gUi, scale);
  const dV = block(nOut, nF, a.gV, a.gVi, scale);
  const bm = block(n, 1, a.gb, a.gbi, scale);
  const db: Vec | CVec | undefined = bm === undefined ? undefined : 'data' in bm ? bm.data : { re: bm.re, im: bm.im };
  return { ...(dW && { dW }), ...(dU && { dU }), ...(db && { db }), ...(dV && { dV }) } as BlockUpdates;
}
