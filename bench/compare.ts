// Comparison harness: builds and runs the plain C and numpy references of bench/compare/ and lines their median
// times up with polelab's, workload by workload. Node-only (bench/ is never part of the library).
//
// The references print {workload: median seconds} for the same workload names as bench/models.ts and
// bench/linalg.ts. A missing tool (gcc, python3 with numpy) skips that column with a note instead of failing.
// To add a workload (e.g. BPTT), add it to WORKLOADS in reference.c and reference.py under the same name as the
// polelab workload; nothing here changes.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** One workload of the comparison: median seconds per implementation (null: not measured). */
export interface ComparisonRow {
  readonly workload: string;
  readonly polelab: number | null;
  readonly c: number | null;
  readonly numpy: number | null;
  /** polelab / reference time: 2 means polelab takes twice as long; null when either side is missing. */
  readonly ratios: { readonly c: number | null; readonly numpy: number | null };
}

/** Result of {@link runComparison}: the rows and what was skipped or failed, one sentence each. */
export interface ComparisonResult {
  readonly rows: ComparisonRow[];
  readonly notes: string[];
}

/** Options of {@link runComparison}. */
export interface ComparisonOptions {
  /** Only these workloads (names or name prefixes); default: every workload the references know. */
  readonly workloads?: readonly string[];
  /** Skip the C or the numpy reference. */
  readonly skip?: readonly ('c' | 'numpy')[];
  /** Progress lines (e.g. console.error); default silent. */
  readonly log?: (line: string) => void;
}

/** Median seconds per workload name. */
export type Timings = Readonly<Record<string, number>>;

interface Proc { code: number | null; stdout: string; stderr: string; error?: Error }

function run(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv, timeoutMs = 15 * 60_000): Promise<Proc> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    let stdout = '', stderr = '';
    p.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    p.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    p.on('error', (error) => resolve({ code: null, stdout, stderr, error }));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The directory holding reference.c / reference.py, found from this module (bench/ or dist/bench/). */
function compareDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'bench', 'compare');
    if (existsSync(join(candidate, 'reference.c'))) return candidate;
    if (existsSync(join(dir, 'compare', 'reference.c'))) return join(dir, 'compare');
    dir = dirname(dir);
  }
  throw new Error('compare: cannot find bench/compare/reference.c above ' + fileURLToPath(import.meta.url));
}

function parseTimings(what: string, p: Proc): Timings {
  const line = p.stdout.trim().split('\n').pop() ?? '';
  const parsed: unknown = JSON.parse(line);
  if (typeof parsed !== 'object' || parsed === null) throw new Error(`${what}: expected a JSON object, got ${line.slice(0, 80)}`);
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(parsed)) if (typeof v === 'number') out[k] = v;
  return out;
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-5).join(' | ');
}

/** Compiles reference.c with gcc -Ofast -march=native (when stale) and runs it; null + a note when impossible. */
async function runC(dir: string, filters: readonly string[], notes: string[], log: (l: string) => void): Promise<Timings | null> {
  const probe = await run('gcc', ['--version']);
  if (probe.code !== 0) {
    notes.push('C reference skipped: gcc not found on PATH');
    return null;
  }
  const src = join(dir, 'reference.c');
  const outDir = join(dir, '..', '..', 'dist', 'compare');
  const bin = join(outDir, 'reference');
  if (!existsSync(bin) || statSync(bin).mtimeMs < statSync(src).mtimeMs) {
    mkdirSync(outDir, { recursive: true });
    log('compare: gcc -Ofast -march=native bench/compare/reference.c');
    const cc = await run('gcc', ['-Ofast', '-march=native', '-o', bin, src, '-lm']);
    if (cc.code !== 0) {
      notes.push(`C reference skipped: gcc failed (${tail(cc.stderr)})`);
      return null;
    }
  }
  log('compare: running the C reference');
  const r = await run(bin, filters);
  if (r.code !== 0) {
    notes.push(`C reference failed (exit ${r.code}): ${tail(r.stderr)}`);
    return null;
  }
  return parseTimings('C reference', r);
}

/** Runs reference.py with single-threaded BLAS; null + a note when python3 or numpy is missing. */
async function runNumpy(dir: string, filters: readonly string[], notes: string[], log: (l: string) => void): Promise<Timings | null> {
  const probe = await run('python3', ['-c', 'import numpy; print(numpy.__version__)']);
  if (probe.code !== 0) {
    notes.push(probe.error !== undefined ? 'numpy reference skipped: python3 not found on PATH' : 'numpy reference skipped: python3 has no numpy');
    return null;
  }
  log(`compare: running the numpy ${probe.stdout.trim()} reference (single-threaded BLAS)`);
  const threads = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', VECLIB_MAXIMUM_THREADS: '1' };
  const r = await run('python3', [join(dir, 'reference.py'), ...filters], threads);
  if (r.code !== 0) {
    notes.push(`numpy reference failed (exit ${r.code}): ${tail(r.stderr)}`);
    return null;
  }
  return parseTimings('numpy reference', r);
}

function ratio(a: number | null, b: number | null): number | null {
  return a === null || b === null || b <= 0 ? null : a / b;
}

/**
 * Builds and runs the C and numpy references (when gcc / python3 with numpy are present) and returns one row per
 * workload: polelab's median seconds (from `polelabTimes`, keyed by workload name), the references' medians and
 * the ratios polelab / reference. Workloads appear in the order of `polelabTimes`, then the references' extras.
 */
export async function runComparison(polelabTimes: Timings, opts: ComparisonOptions = {}): Promise<ComparisonResult> {
  const notes: string[] = [];
  const log = opts.log ?? ((): void => undefined);
  const dir = compareDir();
  const filters = opts.workloads ?? [];
  const skip = new Set(opts.skip ?? []);
  const c = skip.has('c') ? null : await runC(dir, filters, notes, log);
  const numpy = skip.has('numpy') ? null : await runNumpy(dir, filters, notes, log);
  const wanted = (name: string): boolean => filters.length === 0 || filters.some((f) => name.startsWith(f));
  const names = [...Object.keys(polelabTimes).filter(wanted)];
  for (const extra of [...Object.keys(c ?? {}), ...Object.keys(numpy ?? {})].sort()) if (!names.includes(extra)) names.push(extra);
  const rows = names.map((workload): ComparisonRow => {
    const p = polelabTimes[workload] ?? null, cv = c?.[workload] ?? null, nv = numpy?.[workload] ?? null;
    return { workload, polelab: p, c: cv, numpy: nv, ratios: { c: ratio(p, cv), numpy: ratio(p, nv) } };
  });
  return { rows, notes };
}

function fmtTime(s: number | null): string {
  if (s === null) return '–';
  return s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(1)} ms` : `${(s * 1e6).toFixed(0)} µs`;
}

function fmtRatio(r: number | null): string {
  return r === null ? '–' : `${r.toFixed(2)}×`;
}

/** The comparison as a Markdown table (times, then polelab/C and polelab/numpy), followed by the notes. */
export function formatComparison(result: ComparisonResult): string {
  const lines = [
    '| workload | polelab | C -Ofast | numpy | polelab/C | polelab/numpy |',
    '|---|---:|---:|---:|---:|---:|',
    ...result.rows.map((r) => `| ${r.workload} | ${fmtTime(r.polelab)} | ${fmtTime(r.c)} | ${fmtTime(r.numpy)} | ${fmtRatio(r.ratios.c)} | ${fmtRatio(r.ratios.numpy)} |`),
  ];
  for (const n of result.notes) lines.push('', `Note: ${n}`);
  return lines.join('\n');
}
