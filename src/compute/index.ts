// Registry of the JSON compute ops served by `polelab compute`, keyed by wire name.
import type { ComputeOp } from './op.js';
import { coreOps } from './ops/core.js';
import { learningOps } from './ops/learning.js';
import { alignmentOps } from './ops/alignment.js';
import { modeOps } from './ops/modes.js';

export type { ComputeOp, ComputeResult } from './op.js';
export { runRequest } from './op.js';
export { Req, encodeMat, encodeCMat, encodeAnyMat, encodeVec, encodeCVec } from './codec.js';

/** Every compute op, in help order. */
export const computeOpList: ReadonlyArray<ComputeOp> = [...coreOps, ...learningOps, ...modeOps, ...alignmentOps];

/** Every compute op by wire name. */
export const computeOps: ReadonlyMap<string, ComputeOp> = new Map(computeOpList.map((op) => [op.name, op]));
