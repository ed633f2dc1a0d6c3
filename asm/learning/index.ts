// WebAssembly learning kernels (BPTT forward/backward, RTRL, eligibility traces): see src/backend/learning/types.ts.
//
// seq.ts: batched forward pass and exact BPTT of whole sequences (two in lockstep; rollout/rollout.ts for a lone
// sequence); bptt.ts: windowed and truncated backward sweeps of one sequence (long sequences, tBPTT,
// complex); gemm.ts: products over time rows and outputs; rtrl.ts: sensitivity steps on packed
// panels; elig.ts: trace recursions. Driven by src/backend/learning/wasm.ts.

export {
  forwardSlotSize, bpttSeqsWorkSize, pairPackedSize, forwardPairPack, bpttPairPack, forwardSeqs, bpttSeqs,
} from './seq';
export { gemmTN, learnOutputs, learnOutputsComplex } from './gemm';
export { bpttPackedSize, bpttStepSize, bpttPack, bpttPackComplex, bpttFull, bpttTruncated } from './bptt';
export {
  rtrlStateSize, rtrlPackedSize, rtrlPackW, rtrlPackState, rtrlUnpackState, rtrlCoeffs, rtrlRun,
} from './rtrl';
export { eligChunk } from './elig';
