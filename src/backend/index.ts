// Kernel backend selection: WebAssembly SIMD when the engine supports it, else the JS reference (POLELAB_BACKEND overrides).
import { InputError, describeValue } from '../core/errors.js';
import { jsKernels } from './js.js';
import type { Kernels } from './kernels.js';
import { wasmKernels } from './wasm/index.js';

const registry = new Map<string, () => Kernels | null>([['js', () => jsKernels], ['wasm', wasmKernels]]);
let current: Kernels | null = null;

/**
 * Registers a backend under `name`. `factory` returns null when the backend cannot run here
 * (e.g. no WebAssembly SIMD), in which case selection falls back to the JS reference.
 */
export function registerKernels(name: string, factory: () => Kernels | null): void {
  if (typeof name !== 'string' || name === '') throw new InputError('name', `registerKernels: name = ${describeValue(name)}: must be a non-empty string`);
  if (typeof factory !== 'function') throw new InputError('factory', `registerKernels: factory = ${describeValue(factory)}: must be a function returning Kernels or null`);
  registry.set(name, factory);
  current = null; // re-resolve on next use
}

/** Names of the registered backends. */
export function availableKernels(): string[] {
  return [...registry.keys()];
}

function envBackend(): string | undefined {
  const g = globalThis as { process?: { env?: Record<string, string | undefined> } };
  return g.process?.env?.POLELAB_BACKEND;
}

/**
 * The active kernels: POLELAB_BACKEND when set (an unknown name is an InputError), otherwise the best
 * registered backend ('wasm' when registered and able to run, else 'js').
 */
export function kernels(): Kernels {
  if (current !== null) return current;
  const want = envBackend();
  if (want !== undefined && want !== '') {
    const f = registry.get(want);
    if (f === undefined) throw new InputError('POLELAB_BACKEND', `POLELAB_BACKEND = "${want}": unknown backend; available: ${availableKernels().join(', ')}`);
    const k = f();
    if (k === null) throw new InputError('POLELAB_BACKEND', `POLELAB_BACKEND = "${want}": backend cannot run in this environment`);
    current = k;
    return k;
  }
  const wasm = registry.get('wasm')?.();
  current = wasm ?? jsKernels;
  return current;
}

/** Forces a backend by name for the rest of the process (tests run one suite per backend). */
export function useKernels(name: string): Kernels {
  const f = registry.get(name);
  const k = f?.() ?? null;
  if (k === null) throw new InputError('backend', `backend = "${name}": not available; available: ${availableKernels().join(', ')}`);
  current = k;
  return k;
}
