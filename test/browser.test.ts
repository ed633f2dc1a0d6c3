// The built package in real Chromium (playwright-core + Debian's chromium): the public API on the page's main thread and the WebAssembly kernels in a module Worker, against the same computations in Node.
//
// A small node:http server serves dist/ and zod (the package's one runtime dependency the library imports; an
// import map resolves the bare specifier, as a user's bundler would). The browser must pick the wasm backend,
// and its numbers must agree with Node's. The WebAssembly kernels are bit-identical (same binary, IEEE
// arithmetic). JS Math.log/sin/cos are not: Chromium 156's V8 and Node 20's round some values differently in
// the last bit, so seeded normal draws (Box–Muller's Math.log) may differ by an ulp across engines; through
// the README example's ridge fit (λ = 1e-7) that became a relative 5.6e-13 in the NRMSE (measured), hence
// 1e-9 there. The compute answers use no transcendental functions outside the kernels' own: 1e-12.
//
// Chromium is found at $POLELAB_CHROMIUM or /usr/bin/chromium (`.ci/run` installs Debian's package). Without
// it the suite is skipped, unless POLELAB_REQUIRE_BROWSER=1 (set by `.ci/run` once chromium is installed),
// which turns a missing browser into a failure.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from './build.js';
import { chromium, type Browser } from 'playwright-core';
import { computeOps, runRequest } from '../src/compute/index.js';
import { defaultBackend, wasmBackend } from '../src/backend/index.js';
import { readmeExample } from '../examples/narma-readme.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const executable = process.env['POLELAB_CHROMIUM'] ?? '/usr/bin/chromium';
const haveBrowser = existsSync(executable);
const required = process.env['POLELAB_REQUIRE_BROWSER'] === '1';

/** The requests both sides run through the compute API (fixed numbers, so nothing depends on an RNG here). */
const REQUESTS = [
  { op: 'eig', A: [[0.5, -0.8, 0.1], [0.9, 0.2, -0.3], [0.05, 0.4, 0.7]] },
  { op: 'svd', A: [[1, 2], [3, 4], [5, 6.5]] },
  {
    op: 'gradient', loss: 'sequence-mean', activation: 'tanh',
    W: [[0.3, -0.2], [0.25, 0.4]], U: [[1, 0.5], [-0.3, 0.8]], V: [[0.7, -1.1]],
    x: [[0.1, -0.4], [0.9, 0.3], [-0.6, 0.2]], target: [[0.2], [-0.1], [0.5]],
  },
] as const;

/** What the page computes: the README example's NRMSE, the backend name, and the compute answers. */
const PAGE_SCRIPT = `
import * as polelab from '/dist/src/index.js';
// examples/narma-readme.ts, line for line
function readmeExample() {
  const { createRng, esn, rollout, fitRidge, predict, nrmse, narma, mat, sliceRows } = polelab;
  const rng = createRng(42);
  const { input, target } = narma(3000, rng.child('data'));
  const net = esn({ units: 100, sr: 0.9, inputScaling: 0.5, inputConnectivity: 1 }, 1, rng.child('esn'));
  const { states } = rollout(net, mat(3000, 1, input));
  const Y = mat(3000, 1, target);
  const fit = fitRidge(sliceRows(states, 0, 2000), sliceRows(Y, 0, 2000), { lambda: 1e-7, washout: 200, bias: true });
  const yhat = predict(sliceRows(states, 2000, 3000), fit.Wout, fit.bias);
  return nrmse(sliceRows(Y, 2000, 3000), yhat);
}
const requests = ${JSON.stringify(REQUESTS)};
window.result = {
  backend: polelab.defaultBackend().name,
  nrmse: readmeExample(),
  answers: requests.map((r) => polelab.runRequest(polelab.computeOps, r)),
};
`;

/** What the worker computes: a tanh rollout through the wasm backend alone (no bare imports in that module graph). */
const WORKER_SCRIPT = `
import { wasmBackend } from '/dist/src/backend/index.js';
const k = wasmBackend().rollout;
const n = 5, nIn = 2, steps = 40;
const W = new Float64Array(n * n).map((_, i) => ((i * 7) % 11 - 5) / 16);
const U = new Float64Array(n * nIn).map((_, i) => ((i * 3) % 7 - 3) / 2);
const x = new Float64Array(steps * nIn).map((_, i) => ((i * 13) % 17 - 8) / 5);
const states = new Float64Array(n * steps);
k.rollout({ n, nIn, W, U, bias: null, leak: 0.7, tanh: true }, 1, steps, x, null, states);
postMessage({ name: k.name, states: Array.from(states) });
`;

const PAGE = `<!doctype html><meta charset="utf-8"><title>polelab browser test</title>
<script type="importmap">{"imports": {"zod": "/node_modules/zod/index.js"}}</script>
<script type="module" src="/page.js"></script>`;

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html' };

/** Serves the page, the two scripts, and files under dist/ and node_modules/zod/ (nothing else). */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const fixed: Record<string, [string, string]> = {
      '/': [PAGE, 'text/html'], '/page.js': [PAGE_SCRIPT, 'text/javascript'], '/worker.js': [WORKER_SCRIPT, 'text/javascript'],
    };
    const hit = fixed[path];
    if (hit !== undefined) {
      res.writeHead(200, { 'content-type': hit[1] });
      res.end(hit[0]);
      return;
    }
    const file = normalize(join(root, path));
    const allowed = [join(root, 'dist') + sep, join(root, 'node_modules', 'zod') + sep].some((d) => file.startsWith(d));
    if (!allowed || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Largest relative difference between two JSON values of the same shape (Infinity when shapes differ). */
function maxRelDiff(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a === b) return 0;
    return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return Infinity;
    return a.reduce((m: number, v, i) => Math.max(m, maxRelDiff(v, b[i])), 0);
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort(), kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) return Infinity;
    return ka.reduce((m, k) => Math.max(m, maxRelDiff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])), 0);
  }
  return a === b ? 0 : Infinity;
}

describe.skipIf(!haveBrowser && !required)('polelab in Chromium', () => {
  let server: Server, browser: Browser, base: string;

  beforeAll(async () => {
    if (!haveBrowser) throw new Error(`POLELAB_REQUIRE_BROWSER=1 but no Chromium at ${executable} (set POLELAB_CHROMIUM)`);
    requireBuild();
    server = await serve();
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: executable,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  });

  it('runs the public API on the page with the wasm backend, agreeing with Node', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${base}/`);
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined || document.title === 'failed', null, { timeout: 30_000 })
      .catch(() => undefined);
    expect(errors, 'page errors').toEqual([]);
    const got = await page.evaluate(() => (window as unknown as { result: unknown }).result) as { backend: string; nrmse: number; answers: unknown[] };
    expect(got.backend).toBe('wasm');
    // Node side: the same computations (the suite's own backend may be js when POLELAB_BACKEND=js; the
    // answers agree to rounding either way, and bit for bit when both are wasm).
    const nodeWasm = defaultBackend().name === 'wasm';
    expect(maxRelDiff(got.nrmse, readmeExample()), 'README example NRMSE').toBeLessThanOrEqual(1e-9);
    const want = REQUESTS.map((r) => JSON.parse(JSON.stringify(runRequest(computeOps, r))) as { ok: boolean });
    expect(want.map((w) => w.ok), 'every request succeeds in Node').toEqual(REQUESTS.map(() => true));
    expect(maxRelDiff(got.answers, want), 'compute answers').toBeLessThanOrEqual(nodeWasm ? 1e-12 : 1e-9);
    await page.close();
  });

  it('runs the wasm kernels in a module Worker, agreeing with Node', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${base}/`);
    const got = await page.evaluate(() => new Promise<{ name: string; states: number[] }>((resolve, reject) => {
      const w = new Worker('/worker.js', { type: 'module' });
      w.onmessage = (e: MessageEvent) => resolve(e.data as { name: string; states: number[] });
      w.onerror = (e: ErrorEvent) => reject(new Error(e.message));
    }));
    expect(got.name).toBe('wasm');
    const k = wasmBackend()?.rollout;
    if (k === undefined) throw new Error('WebAssembly SIMD unavailable in this Node');
    const n = 5, nIn = 2, steps = 40;
    const W = new Float64Array(n * n).map((_, i) => ((i * 7) % 11 - 5) / 16);
    const U = new Float64Array(n * nIn).map((_, i) => ((i * 3) % 7 - 3) / 2);
    const x = new Float64Array(steps * nIn).map((_, i) => ((i * 13) % 17 - 8) / 5);
    const states = new Float64Array(n * steps);
    k.rollout({ n, nIn, W, U, bias: null, leak: 0.7, tanh: true }, 1, steps, x, null, states);
    expect(maxRelDiff(got.states, Array.from(states)), 'the same binary must give the same bits').toBe(0);
    await page.close();
  });
});
