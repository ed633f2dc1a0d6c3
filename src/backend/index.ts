// The one compute backend: a Backend bundles every kernel family (blas, rollout, readout, learning, linalg) of one implementation.
//
// Two implementations: `jsBackend`, the reference (plain loops, always available), and `wasmBackend()`, WebAssembly
// SIMD compiled from asm/ (one module instance and one linear memory, src/backend/wasm/runtime.ts, shared by every
// family; null where the engine lacks 128-bit SIMD). Public entry points that run kernels take an optional
// `backend` option and hand the resolved backend down to their internal functions; everything else runs on
// `defaultBackend()`: POLELAB_BACKEND when set, else wasm when it runs, else js. The default is resolved once per
// process and cached together with the compiled wasm instance; that cache is the only process-wide backend state.
import { InputError, describeValue } from '../core/errors.js';
import { jsBlas } from './blas/js.js';
import type { BlasKernels } from './blas/types.js';
import { wasmBlas } from './blas/wasm.js';
import { jsLearningKernels } from './learning/js.js';
import type { LearningKernels } from './learning/types.js';
import { wasmLearning } from './learning/wasm.js';
import { jsLinalg } from './linalg/js.js';
import type { LinalgKernels } from './linalg/types.js';
import { wasmLinalg } from './linalg/wasm.js';
import { jsReadout } from './readout/js.js';
import type { ReadoutKernels } from './readout/types.js';
import { wasmReadout } from './readout/wasm.js';
import { jsRollout } from './rollout/js.js';
import type { RolloutKernels } from './rollout/types.js';
import { wasmRollout } from './rollout/wasm.js';
import { createRuntime, type Runtime } from './wasm/runtime.js';

export type { BlasKernels, Trans } from './blas/types.js';
export type { RolloutKernels, RolloutParams, CRolloutParams } from './rollout/types.js';
export type { ReadoutKernels } from './readout/types.js';
export { RTRL_BLOCK, type LearningKernels } from './learning/types.js';
export type { LinalgKernels, BidiagSvd } from './linalg/types.js';
export { wasmSimdAvailable } from './wasm/module.js';

/**
 * One implementation of every kernel family. The families are raw, unchecked and allocation-free in their time-step
 * loops (contracts in src/backend/<family>/types.ts); every implementation agrees with the JS reference to rounding
 * (test/contracts/). A later `signal` family (FFT and complex matrix–vector products, for the wireless
 * detectors) joins these as one more folder src/backend/signal/ and one more field here.
 */
export interface Backend {
  /** 'js' or 'wasm' (or the name of a user-assembled backend). */
  readonly name: string;
  /** Real and complex GEMM. */
  readonly blas: BlasKernels;
  /** Real and complex network recurrences over a batch. */
  readonly rollout: RolloutKernels;
  /** Least-squares statistics and RLS updates. */
  readonly readout: ReadoutKernels;
  /** The hot loops of every learning rule (forward, BPTT, RTRL, eligibility traces). */
  readonly learning: LearningKernels;
  /** The O(n³) steps of the real dense decompositions. */
  readonly linalg: LinalgKernels;
}

/** The WebAssembly backend: every family runs on the one {@link Runtime} (one instance, one linear memory). */
export interface WasmBackend extends Backend {
  readonly name: 'wasm';
  /** The instance and memory arena every family of this backend uses. */
  readonly runtime: Runtime;
  /** The learning family with every call in WebAssembly, however small (`learning` sends small calls to JS). */
  readonly learningEveryCall: LearningKernels;
}

/** `b` and each of its families frozen: a backend is a value, never a switch to flip. */
function frozen<B extends Backend>(b: B): B {
  for (const f of [b.blas, b.rollout, b.readout, b.learning, b.linalg]) Object.freeze(f);
  return Object.freeze(b);
}

/** The JS reference backend: plain loops, always available. */
export const jsBackend: Backend = frozen({
  name: 'js', blas: jsBlas, rollout: jsRollout, readout: jsReadout, learning: jsLearningKernels, linalg: jsLinalg,
});

/** Names {@link backendByName} and POLELAB_BACKEND accept. */
const NAMES: readonly string[] = ['js', 'wasm'];

/**
 * A new WebAssembly backend: compiles and instantiates the module once (synchronously; see compileKernels for
 * the browser caveat) on a fresh memory, and builds every family on that one runtime. Null when WebAssembly
 * SIMD is unavailable. Prefer {@link wasmBackend}, which makes one per process.
 */
export function createWasmBackend(): WasmBackend | null {
  const rt = createRuntime();
  if (rt === null) return null;
  const learning = wasmLearning(rt);
  Object.freeze(learning.everyCall);
  return frozen({
    name: 'wasm' as const, runtime: rt, blas: wasmBlas(rt), rollout: wasmRollout(rt), readout: wasmReadout(rt),
    learning: learning.dispatch, learningEveryCall: learning.everyCall, linalg: wasmLinalg(rt),
  });
}

/** The process-wide cache: the one wasm backend (null: cannot run here) and the resolved default. */
const cache: { wasm?: WasmBackend | null; chosen?: Backend } = {};

/**
 * The WebAssembly SIMD backend, or null when this engine lacks WebAssembly or 128-bit SIMD. Created on the first
 * call and the same object afterwards.
 */
export function wasmBackend(): WasmBackend | null {
  if (cache.wasm === undefined) cache.wasm = createWasmBackend();
  return cache.wasm;
}

/** The backends that can run here, the JS reference first. */
export function availableBackends(): Backend[] {
  const w = wasmBackend();
  return w === null ? [jsBackend] : [jsBackend, w];
}

/** The backend named 'js' or 'wasm'. Throws InputError for another name or when that backend cannot run here. */
export function backendByName(name: string): Backend {
  if (typeof name !== 'string' || !NAMES.includes(name)) {
    throw new InputError('name', `backendByName: name = ${describeValue(name)}: unknown backend; available: ${NAMES.join(', ')}`);
  }
  const b = name === 'js' ? jsBackend : wasmBackend();
  if (b === null) throw new InputError('name', `backendByName: name = "${name}": backend cannot run in this environment (no WebAssembly SIMD)`);
  return b;
}

function envBackend(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.POLELAB_BACKEND;
}

/**
 * The backend everything runs on unless a call passes its own: POLELAB_BACKEND when set ('js' or 'wasm'; another
 * name, or 'wasm' where it cannot run, is an InputError naming POLELAB_BACKEND), else wasm when it runs here, else
 * js. Resolved on the first call and cached for the process (an error is not cached: every call throws it again).
 */
export function defaultBackend(): Backend {
  if (cache.chosen !== undefined) return cache.chosen;
  const want = envBackend();
  let chosen: Backend;
  if (want !== undefined && want !== '') {
    if (!NAMES.includes(want)) throw new InputError('POLELAB_BACKEND', `POLELAB_BACKEND = "${want}": unknown backend; available: ${NAMES.join(', ')}`);
    const b = want === 'js' ? jsBackend : wasmBackend();
    if (b === null) throw new InputError('POLELAB_BACKEND', `POLELAB_BACKEND = "${want}": backend cannot run in this environment`);
    chosen = b;
  } else {
    chosen = wasmBackend() ?? jsBackend;
  }
  cache.chosen = chosen;
  return chosen;
}

/** Methods every family of a Backend must have (what {@link resolveBackend} checks of a user-assembled one). */
const FAMILIES: ReadonlyArray<readonly [keyof Omit<Backend, 'name'>, readonly string[]]> = [
  ['blas', ['gemm', 'zgemm']],
  ['rollout', ['rollout', 'rolloutComplex']],
  ['readout', ['gramAccumulate', 'gramAccumulateComplex', 'rls', 'rlsComplex']],
  ['learning', ['forward', 'forwardComplex', 'readoutGrad', 'readoutGradComplex', 'bptt', 'bpttComplex', 'rtrlChunk',
    'rtrlChunkComplex', 'eligibilityChunk']],
  ['linalg', ['eighReal', 'eigReal', 'qrFactor', 'applyQ', 'bidiagValues', 'bidiagSvd']],
];

/**
 * The `backend` option of a public entry point `where`: defaultBackend() when undefined, else the given Backend
 * (checked to have a name and every family with its methods). Throws InputError naming `backend` otherwise.
 */
export function resolveBackend(where: string, v: unknown): Backend {
  if (v === undefined) return defaultBackend();
  if (v === jsBackend || (v !== null && v === cache.wasm)) return v as Backend;
  const hint = 'must be a Backend (jsBackend, wasmBackend(), backendByName(name))';
  if (typeof v !== 'object' || v === null || typeof (v as { name?: unknown }).name !== 'string') {
    throw new InputError('backend', `${where}: backend = ${describeValue(v)}: ${hint}`);
  }
  for (const [family, methods] of FAMILIES) {
    const f = (v as Record<string, unknown>)[family] as Record<string, unknown> | null | undefined;
    const missing = typeof f !== 'object' || f === null ? methods : methods.filter((m) => typeof f[m] !== 'function');
    if (missing.length > 0) {
      throw new InputError('backend', `${where}: backend.${family} lacks ${missing.join(', ')}: ${hint}`);
    }
  }
  return v as Backend;
}
