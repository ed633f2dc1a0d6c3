// Benchmark runner: `npm run bench [-- --json] [-- --only a,b] [-- --compare]` times every workload (median wall time).
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { defaultBackend } from '../src/backend/index.js';
import type { Workload } from './workload.js';
import { workloads as modelWorkloads } from './models.js';
import { workloads as linalgWorkloads } from './linalg.js';
import { workloads as learningWorkloads } from './learning.js';
import { workloads as theoryWorkloads } from './theory.js';

/** Every registered workload, in report order. */
export const allWorkloads: ReadonlyArray<Workload> = [...modelWorkloads, ...learningWorkloads, ...linalgWorkloads, ...theoryWorkloads];

/**
 * Median wall time in seconds of `w`. Warm-up (untimed): calls until 0.2 s have passed (at least 1, at most 50),
 * so JIT tiers, WASM memory and page faults of fresh buffers settle; then `repeats` timed calls (default 5,
 * at least 15 for workloads under 20 ms, whose medians are noisier).
 */
export function timeWorkload(w: Workload): number {
  const fn = w.setup();
  const warmStart = performance.now();
  let calls = 0, last = 0;
  do {
    const t0 = performance.now();
    fn();
    last = (performance.now() - t0) / 1000;
    calls++;
  } while (performance.now() - warmStart < 200 && calls < 50);
  const repeats = Math.max(w.repeats ?? 5, last < 0.02 ? 15 : 0);
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    fn();
    times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  const k = times.length >> 1;
  return times.length % 2 ? times[k]! : 0.5 * (times[k - 1]! + times[k]!);
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { json: { type: 'boolean' }, only: { type: 'string' }, compare: { type: 'boolean' }, help: { type: 'boolean' } }, strict: true });
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }
  const o = args.values;
  if (o.help) {
    process.stdout.write(`usage: npm run bench -- [--json] [--only name1,name2] [--compare]
  --json     print only {workload: median seconds} as JSON on stdout
  --only     run the named workloads only (comma-separated)
  --compare  also build/run the C (-Ofast -march=native) and numpy references when present and print ratios
workloads: ${allWorkloads.map((w) => w.name).join(', ')}\n`);
    return 0;
  }
  let list = [...allWorkloads];
  if (o.only !== undefined) {
    const want = o.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = want.filter((n) => !allWorkloads.some((w) => w.name === n));
    if (unknown.length) {
      process.stderr.write(`bench: --only = "${o.only}": unknown workload(s) ${unknown.join(', ')}; known: ${allWorkloads.map((w) => w.name).join(', ')}\n`);
      return 2;
    }
    list = list.filter((w) => want.includes(w.name));
  }
  const results: Record<string, number> = {};
  process.stderr.write(`bench: backend ${defaultBackend().name}, ${list.length} workloads\n`);
  for (const w of list) {
    const t = timeWorkload(w);
    results[w.name] = t;
    process.stderr.write(`  ${w.name.padEnd(28)} ${t.toFixed(4)} s\n`);
  }
  if (o.compare) {
    const { runComparison, formatComparison } = await import('./compare.js');
    const cmp = await runComparison(results, { workloads: list.map((w) => w.name), log: (msg: string) => process.stderr.write(`bench: ${msg}\n`) });
    if (o.json) process.stdout.write(JSON.stringify({ backend: defaultBackend().name, polelab: results, comparison: cmp.rows, notes: cmp.notes }, null, 2) + '\n');
    else process.stdout.write(formatComparison(cmp) + '\n');
    return 0;
  }
  if (o.json) process.stdout.write(JSON.stringify(results) + '\n');
  else for (const [k, v] of Object.entries(results)) process.stdout.write(`${k.padEnd(28)} ${v.toFixed(4)} s\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (e: unknown) => {
  process.stderr.write(`bench: ${(e as Error).message}\n`);
  process.exitCode = 1;
});
