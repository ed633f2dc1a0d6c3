// WebAssembly learning kernels (BPTT forward/backward, RTRL, eligibility traces): see src/learning/kernels.ts.
