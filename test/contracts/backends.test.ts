// The contract runner: every family's suite against every available backend, every wasm family against its JS twin,
// and the Backend API itself (one Runtime per wasm backend, defaultBackend and POLELAB_BACKEND, explicit backends).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  availableBackends, backendByName, createWasmBackend, defaultBackend, jsBackend, wasmBackend, wasmSimdAvailable,
  type Backend, type WasmBackend,
} from '../../src/backend/index.js';
import { InputError } from '../../src/core/errors.js';
import { fromRows, mat } from '../../src/core/types.js';
import { computeUpdate, createRule, lossAndGradient, train } from '../../src/learning/index.js';
import { eig, eigh, lstsq, pinv, qr, svd } from '../../src/linalg/index.js';
import { rollout } from '../../src/models/rnn.js';
import { fitPinv } from '../../src/readouts/pinv.js';
import { fitRidge, ridgeStats } from '../../src/readouts/ridge.js';
import { rls, runRls } from '../../src/readouts/rls.js';
import { randMat, testRng } from '../helpers.js';
import { describeBlasContract, describeReadoutKernelContract, describeRolloutContract } from './kernels.contract.js';
import { describeKernelTwins } from './kernels.twins.js';
import { describeLearningKernelContract, describeLearningKernelModelContract } from './learning-kernels.contract.js';
import { describeLearningTwins } from './learning-kernels.twins.js';
import { describeLinalgContract, describeLinalgTwins } from './linalg.contract.js';
import { describeLinalgRawTwins } from './linalg-wasm.twins.js';

/** The wasm backend; Node ≥ 20 always has WebAssembly SIMD, so its absence fails the wasm suites instead of skipping them. */
function wasm(): WasmBackend {
  const w = wasmBackend();
  if (w === null) throw new Error('WebAssembly SIMD backend unavailable in this Node (expected on Node ≥ 20)');
  return w;
}

for (const b of availableBackends()) {
  describeBlasContract(b.name, () => b.blas);
  describeRolloutContract(b.name, () => b.rollout);
  describeReadoutKernelContract(b.name, () => b.readout);
  describeLearningKernelContract(b.name === 'wasm' ? 'wasm (small calls in js)' : b.name, () => b.learning);
  describeLinalgContract(b.name, () => b);
}
describeLearningKernelContract('wasm (every call)', () => wasm().learningEveryCall);
for (const b of availableBackends()) describeLearningKernelModelContract(b.name, () => b.name === 'wasm' ? wasm().learningEveryCall : b.learning);

describeKernelTwins(wasm);
describeLearningTwins(wasm);
describeLinalgTwins('wasm', wasm, () => jsBackend);
describeLinalgRawTwins();

describe('the wasm backend', () => {
  it('is available here (Node ≥ 20 has WebAssembly with 128-bit SIMD) and is one object for the process', () => {
    expect(wasmSimdAvailable()).toBe(true);
    expect(wasm().name).toBe('wasm');
    expect(wasmBackend()).toBe(wasmBackend());
    expect(availableBackends().map((b) => b.name)).toEqual(['js', 'wasm']);
    expect(backendByName('wasm')).toBe(wasmBackend());
    expect(backendByName('js')).toBe(jsBackend);
  });

  it('is, like jsBackend, a frozen value: no family or kernel can be swapped at run time', () => {
    for (const b of [jsBackend, wasm()]) {
      expect(Object.isFrozen(b), b.name).toBe(true);
      for (const f of ['blas', 'rollout', 'readout', 'learning', 'linalg'] as const) expect(Object.isFrozen(b[f]), `${b.name}.${f}`).toBe(true);
    }
    expect(Object.isFrozen(wasm().learningEveryCall)).toBe(true);
  });

  it('runs every family on its one Runtime: one module instance and one memory, moved (not grown) for all at once', () => {
    const WA = WebAssembly as unknown as Record<'Instance' | 'Memory', new (...a: unknown[]) => object>;
    const saved = { Instance: WA.Instance, Memory: WA.Memory };
    const made = { Instance: 0, Memory: 0 };
    for (const k of ['Instance', 'Memory'] as const) {
      WA[k] = new Proxy(saved[k], { construct(target, args) { made[k]++; return Reflect.construct(target, args) as object; } });
    }
    try {
      const b = createWasmBackend()!;
      const rng = testRng(90), r = (len: number): Float64Array => rng.fillNormal(new Float64Array(len));
      // one small call of every family
      const smallCalls = (): void => {
        b.blas.gemm(false, false, 4, 4, 4, 1, r(16), r(16), 0, new Float64Array(16));
        b.rollout.rollout({ n: 4, nIn: 1, W: r(16), U: r(4), bias: null, leak: 1, tanh: true }, 1, 5, r(5), null, new Float64Array(20));
        b.readout.gramAccumulate(4, 1, 0, 5, r(20), r(5), new Float64Array(16), new Float64Array(4), new Float64Array(4), new Float64Array(1));
        b.learningEveryCall.forward(4, 1, 1, 1, 5, r(16), r(4), null, 1, r(4), false, r(5), null, new Float64Array(20), null, new Float64Array(5));
        b.linalg.qrFactor(6, 4, r(24), new Float64Array(4));
      };
      smallCalls();
      expect(made, 'one instance and one memory for five families').toEqual({ Instance: 1, Memory: 1 });
      // a linalg call larger than the first 16 MiB moves the one memory; the other families then run on it as is
      const first = b.runtime.buffer;
      const n = 1500;
      b.linalg.qrFactor(n, n, r(n * n), new Float64Array(n));
      expect(made, 'the move: one new memory and one new instance').toEqual({ Instance: 2, Memory: 2 });
      expect(b.runtime.buffer).not.toBe(first);
      const moved = b.runtime.buffer;
      smallCalls();
      expect(made, 'no family has a memory of its own').toEqual({ Instance: 2, Memory: 2 });
      expect(b.runtime.buffer).toBe(moved);
    } finally {
      WA.Instance = saved.Instance;
      WA.Memory = saved.Memory;
    }
  });
});

describe('defaultBackend() and POLELAB_BACKEND', () => {
  const saved = process.env.POLELAB_BACKEND;
  const validate = WebAssembly.validate;
  afterEach(() => {
    if (saved === undefined) delete process.env.POLELAB_BACKEND;
    else process.env.POLELAB_BACKEND = saved;
    WebAssembly.validate = validate;
    vi.resetModules();
  });

  /** A fresh copy of the backend module (its cache empty) under POLELAB_BACKEND = env. */
  async function fresh(env: string | undefined): Promise<typeof import('../../src/backend/index.js')> {
    if (env === undefined) delete process.env.POLELAB_BACKEND;
    else process.env.POLELAB_BACKEND = env;
    vi.resetModules();
    return import('../../src/backend/index.js');
  }

  it('is the one this process was started with', () => {
    expect(defaultBackend().name).toBe(saved === undefined || saved === '' ? 'wasm' : saved);
    expect(defaultBackend()).toBe(defaultBackend());
  });

  it('honours POLELAB_BACKEND (js, wasm; unset or empty: wasm), resolved once for the process', async () => {
    for (const [env, want] of [['js', 'js'], ['wasm', 'wasm'], [undefined, 'wasm'], ['', 'wasm']] as const) {
      const m = await fresh(env);
      expect(m.defaultBackend().name, `POLELAB_BACKEND=${env}`).toBe(want);
      expect(m.defaultBackend()).toBe(want === 'js' ? m.jsBackend : m.wasmBackend());
    }
    const m = await fresh('js');
    expect(m.defaultBackend()).toBe(m.jsBackend);
    process.env.POLELAB_BACKEND = 'wasm';
    expect(m.defaultBackend(), 'cached: a later change of the environment does not switch').toBe(m.jsBackend);
  });

  it('rejects an unknown POLELAB_BACKEND with an InputError naming it (every call, nothing cached)', async () => {
    const m = await fresh('fortran');
    for (let k = 0; k < 2; k++) {
      let err: unknown = null;
      try { m.defaultBackend(); } catch (e) { err = e; }
      expect((err as Error).name, 'an InputError (of the fresh module copy)').toBe('InputError');
      expect((err as InputError).field).toBe('POLELAB_BACKEND');
      expect((err as Error).message).toBe('POLELAB_BACKEND = "fortran": unknown backend; available: js, wasm');
    }
  });

  it('falls back to js where WebAssembly SIMD is missing, and then refuses POLELAB_BACKEND=wasm', async () => {
    WebAssembly.validate = () => false;
    let m = await fresh(undefined);
    expect(m.wasmBackend()).toBeNull();
    expect(m.defaultBackend()).toBe(m.jsBackend);
    expect(m.availableBackends()).toEqual([m.jsBackend]);
    expect(() => m.backendByName('wasm')).toThrow(/^backendByName: name = "wasm": backend cannot run in this environment/);
    m = await fresh('wasm');
    expect(() => m.defaultBackend()).toThrow(/^POLELAB_BACKEND = "wasm": backend cannot run in this environment$/);
  });
});

/** `b` with every family method wrapped to count its calls (per family). */
function counting(b: Backend): { backend: Backend; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const wrap = <F extends object>(family: string, f: F): F => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(f)) {
      out[k] = typeof v !== 'function' ? v : (...a: unknown[]) => { calls[family] = (calls[family] ?? 0) + 1; return (v as (...x: unknown[]) => unknown)(...a); };
    }
    return out as F;
  };
  return {
    calls,
    backend: {
      name: `counting ${b.name}`, blas: wrap('blas', b.blas), rollout: wrap('rollout', b.rollout), readout: wrap('readout', b.readout),
      learning: wrap('learning', b.learning), linalg: wrap('linalg', b.linalg),
    },
  };
}

describe('entry points run on the backend they are given', () => {
  const rng = testRng(91);
  const A = randMat(rng, 12, 12), S = fromRows([[2, 1, 0], [1, 3, 1], [0, 1, 4]]), T = randMat(rng, 40, 6), Y2 = randMat(rng, 40, 2);
  const net = { W: mat(3, 3, Float64Array.of(0.5, 0.1, 0, 0, 0.4, 0.2, 0.1, 0, 0.3)), U: randMat(rng, 3, 1), V: randMat(rng, 1, 3) };
  const x = { batch: 2, steps: 8, dim: 1, data: rng.fillNormal(new Float64Array(16)) };
  const y = { batch: 2, steps: 8, dim: 1, data: rng.fillNormal(new Float64Array(16)) };

  // [entry point, the families it must use]
  const CASES: [string, (backend: Backend) => unknown, string[]][] = [
    ['eigh', (backend) => eigh(S, { vectors: true, backend }), ['linalg']],
    ['eig', (backend) => eig(A, { backend }), ['linalg']],
    ['svd', (backend) => svd(T, { vectors: true, backend }), ['linalg']],
    ['qr', (backend) => qr(T, { backend }), ['linalg']],
    ['pinv', (backend) => pinv(T, { backend }), ['linalg', 'blas']],
    ['lstsq', (backend) => lstsq(T, Y2, { backend }), ['linalg']],
    ['rollout', (backend) => rollout({ ...net, activation: 'tanh', leakRate: 1 }, x, { backend }), ['rollout', 'blas']],
    ['ridgeStats', (backend) => ridgeStats(T, Y2, { backend }), ['readout']],
    ['fitRidge', (backend) => fitRidge(T, Y2, { lambda: 1e-3, backend }), ['readout']],
    ['fitPinv', (backend) => fitPinv(T, Y2, { backend }), ['linalg', 'blas']],
    ['runRls', (backend) => runRls(T, Y2, { backend }), ['readout']],
    ['rls.init + update', (backend) => { const s = rls.init(3, 1, { backend }); return rls.update(s, Float64Array.of(1, 2, 3), Float64Array.of(1)); }, ['readout']],
    ['lossAndGradient', (backend) => lossAndGradient(net, x, y, { loss: 'sequence-mean', backend }), ['learning']],
    ['computeUpdate', (backend) => computeUpdate({ name: 'rtrl' }, net, x, y, { backend }), ['learning']],
    ['train', (backend) => train(net, { x, y }, { x, y }, { rule: { name: 'bptt' }, optimizer: { name: 'sgd', lr: 0.01 }, epochs: 1, batchSize: 2, backend }, testRng(5)), ['learning']],
    ['rule.init (stream)', (backend) => {
      const rule = createRule({ name: 'bptt' });
      const s = rule.init(net, { backend });
      rule.step(net, s, { x: Float64Array.of(0.5), target: Float64Array.of(0.1) });
      const { update, loss } = rule.endSequence(net, s);
      return { update, loss };
    }, ['learning']],
  ];

  for (const [name, run, families] of CASES) {
    it(`${name}: uses ${families.join(' and ')} of the given backend, with the answer of that backend`, () => {
      for (const base of availableBackends()) {
        const { backend, calls } = counting(base);
        const got = run(backend);
        for (const f of families) expect(calls[f] ?? 0, `${base.name}: calls of ${f}`).toBeGreaterThan(0);
        // the wrapper only counts: the answer is the wrapped backend's own, bit for bit
        expect(got, `${base.name}: same answer as the backend itself`).toEqual(run(base));
      }
    });
  }

  it('a bad backend option is an InputError naming `backend`', () => {
    for (const [call, re] of [
      [() => eigh(S, { backend: 3 as unknown as Backend }), /^eigh: backend = 3: must be a Backend/],
      [() => rollout({ ...net, activation: 'identity', leakRate: 1 }, x, { backend: 'js' as unknown as Backend }), /^rollout: backend = "js": must be a Backend/],
      [() => lossAndGradient(net, x, y, { backend: { ...jsBackend, learning: {} } as unknown as Backend }), /^gradient: backend.learning lacks forward, /],
      [() => rls.init(2, 1, { backend: null as unknown as Backend }), /^rls: backend = null: must be a Backend/],
    ] as const) {
      let err: unknown = null;
      try { call(); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe('backend');
      expect((err as Error).message).toMatch(re);
    }
  });
});
