// Grow-only scratch pool of the batched learning path: forward states, outputs, error signals and backward scratch reused across calls.
//
// A training loop calls computeUpdate / lossAndGradient / evaluateLoss many times with the same shapes; allocating
// the B·T·N states and B·T·O outputs and error signals afresh on every call costs first-touch page faults and GC
// (docs/performance.md). Instead every call borrows one {@link Scratch}: named slots, each a Float64Array that is
// grown (never shrunk) to the largest length asked of it and handed out as a view of exactly the asked length.
//
// Rules (the whole design rests on them):
// - One borrower at a time. {@link acquireScratch} marks the pool busy; a second borrower while it is busy (a
//   re-entrant call, e.g. from a user callback) gets a scratch that allocates fresh zeroed arrays instead, so it
//   never sees or clobbers the outer call's data. Borrowers release in a `finally` ({@link withScratch}).
// - Nothing handed out may outlive the call: results returned to the caller are always fresh arrays (accToBlocks,
//   networkOutputs' outputs, the loss number), never views of a slot.
// - `take` returns stale contents (from an earlier call); callers either overwrite every element before reading
//   it or ask for `zeros`. Each slot is handed out at most once per borrow (a second take of the same slot within
//   one call throws, so two live arrays can never alias).
// Memory: the pool keeps, per slot, the largest array any call needed, until {@link releaseLearningWorkspace}
// drops it (about B·T·(N + 2·O) doubles for the largest batch seen, twice that for complex networks, plus
// N·N·(N + I) per sensitivity set once RTRL has run).
import type { Freeze } from './types.js';
import { makeAcc, type Acc, type AccShape } from './grads.js';

/** Named slots of the pool (one array each per call). */
export const SCRATCH_SLOTS = [
  // forward pass (losses.ts): states, activations φ (tanh with leak < 1), outputs, output-error signals, zero
  // imaginary parts of promoted real batches
  'H', 'Hi', 'Phi', 'Y', 'Yi', 'Gy', 'Gyi', 'xi', 'ti',
  // gradient accumulators (zeroed) and the state part of the readout gradient when F > N
  'gW', 'gWi', 'gU', 'gUi', 'gb', 'gbi', 'gV', 'gVi', 'gVh', 'gVhi',
  // backward scratch: kernel work vectors, zero initial states, RTRL sensitivities, eligibility traces
  'work', 'h0', 'h0i', 'SW', 'SWi', 'SU', 'SUi', 'Sb', 'Sbi', 'pW', 'pU', 'pb',
] as const;

/** One slot name. */
export type ScratchSlot = (typeof SCRATCH_SLOTS)[number];

/** Scratch arrays for the duration of one call (see the module header for the rules). */
export interface Scratch {
  /** `len` doubles with UNSPECIFIED contents: the caller must write every element before reading it. */
  take(slot: ScratchSlot, len: number): Float64Array;
  /** `len` zeros. */
  zeros(slot: ScratchSlot, len: number): Float64Array;
  /** Ends the borrow (idempotent); the arrays must not be used afterwards. */
  release(): void;
}

/** Retained arrays by slot (absent: never used or released). */
const pool = new Map<ScratchSlot, Float64Array>();
/** Slots handed out during the current borrow. */
const taken = new Set<ScratchSlot>();
let busy = false;

/** The scratch of a re-entrant borrower: plain fresh (zeroed) arrays, nothing retained. */
const FRESH: Scratch = {
  take: (_slot, len) => new Float64Array(len),
  zeros: (_slot, len) => new Float64Array(len),
  release: () => undefined,
};

function pooledTake(slot: ScratchSlot, len: number): Float64Array {
  if (taken.has(slot)) throw new Error(`learning workspace: slot "${slot}" handed out twice in one call`);
  taken.add(slot);
  let buf = pool.get(slot);
  if (buf === undefined || buf.length < len) {
    buf = new Float64Array(len);
    pool.set(slot, buf);
  }
  return buf.length === len ? buf : buf.subarray(0, len);
}

/**
 * Borrows the pooled scratch, or — when it is already borrowed (a re-entrant call) — a scratch that allocates
 * fresh arrays. Always pair with `release()` in a `finally`; prefer {@link withScratch}.
 */
export function acquireScratch(): Scratch {
  if (busy) return FRESH;
  busy = true;
  taken.clear();
  let live = true;
  return {
    take: (slot, len) => {
      if (!live) throw new Error('learning workspace: used after release');
      return pooledTake(slot, len);
    },
    zeros: (slot, len) => {
      if (!live) throw new Error('learning workspace: used after release');
      return pooledTake(slot, len).fill(0);
    },
    release: () => {
      if (!live) return;
      live = false;
      taken.clear();
      busy = false;
    },
  };
}

/** Runs `fn` with a borrowed scratch and releases it afterwards (also when `fn` throws). */
export function withScratch<R>(fn: (ws: Scratch) => R): R {
  const ws = acquireScratch();
  try {
    return fn(ws);
  } finally {
    ws.release();
  }
}

/** Zeroed gradient accumulators for the free blocks of a network (same layout as grads.ts `newAcc`). */
export function scratchAcc(ws: Scratch, shape: AccShape, freeze: Freeze | undefined): Acc {
  return makeAcc(shape, freeze, (slot, len) => ws.zeros(slot, len));
}

/**
 * Drops the learning workspace: the scratch arrays that computeUpdate, lossAndGradient, evaluateLoss and
 * networkOutputs keep between calls (grown to the largest batch seen — about B·T·(N + 2·O) doubles, twice that
 * for complex networks, plus the RTRL sensitivities N·N·(N + I) — and never shrunk on their own). Call it after
 * training on large batches to return that memory; the next call simply allocates again. Safe at any time,
 * also during a call (that call keeps its arrays; the pool starts empty afterwards).
 * @returns the number of bytes dropped.
 */
export function releaseLearningWorkspace(): number {
  let bytes = 0;
  for (const a of pool.values()) bytes += a.byteLength;
  pool.clear();
  return bytes;
}
