// WebAssembly learning kernels (BPTT forward/backward, RTRL, eligibility traces): see src/learning/kernels.ts.
//
// learning-seq.ts: batched forward pass and exact BPTT of whole sequences (two in lockstep; rollout.ts for a lone
// sequence); learning-bptt.ts: windowed and truncated backward sweeps of one sequence (long sequences, tBPTT,
// complex); learning-gemm.ts: products over time rows and outputs; learning-rtrl.ts: sensitivity steps on packed
// panels; learning-elig.ts: trace recursions. Driven by src/learning/kernels-wasm.ts.

export {
  forwardSlotSize, bpttSeqsWorkSize, pairPackedSize, forwardPairPack, bpttPairPack, forwardSeqs, bpttSeqs,
} from './learning-seq';
export { gemmTN, learnOutputs, learnOutputsComplex } from './learning-gemm';
export { bpttPackedSize, bpttStepSize, bpttPack, bpttPackComplex, bpttFull, bpttTruncated } from './learning-bptt';
export {
  rtrlStateSize, rtrlPackedSize, rtrlPackW, rtrlPackState, rtrlUnpackState, rtrlCoeffs, rtrlRun,
} from './learning-rtrl';
export { eligChunk } from './learning-elig';
