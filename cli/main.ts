#!/usr/bin/env node
// The polelab command line: list, run, reproduce and compute; parses arguments and wires registry -> runner (in process or on the worker pool) -> report.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, PolelabError } from '../src/core/errors.js';
import type { ComputeOp } from '../src/compute/op.js';
import type { AnyExperiment } from '../src/experiments/experiment.js';
import { builtinExperiments } from '../src/experiments/index.js';
import { ExperimentRegistry, listExperiments } from '../src/experiments/registry.js';
import { parseConfigJson, parsePreset, parseSeed, resolveConfig, type Preset } from '../src/experiments/config.js';
import type { PlanItem, RunObserver, RunOutcome } from '../src/experiments/runner.js';
import type { RenderedFigure } from '../src/report/render.js';
import type { FigureSpec } from '../src/experiments/figure-spec.js';
import type { TextSink } from '../src/report/progress.js';
import { formatDuration, formatValue } from '../src/report/format.js';
import { optionsHelp, parseArgs, parseWorkers, type OptionSpecs } from './args.js';
import { experimentHelp, presetLines, presetTexts } from './experiment-help.js';
import { computeOpHelp, computeOpsHelp, runCompute } from './compute.js';
import { defaultWorkers } from './pool.js';
import { defaultBackend } from '../src/backend/index.js';

/** Everything the CLI touches, injectable so tests can run it in-process. */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  /** Standard input: its text, or a reader (default: none, i.e. empty). */
  readonly stdin?: string | (() => Promise<string>);
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Base for relative paths (default process.cwd()). */
  readonly cwd?: string;
  /** Experiments known to the CLI (default: builtinExperiments plus any registerExperiment() ones). */
  readonly experiments?: ReadonlyArray<AnyExperiment>;
  /**
   * JS module (URL or path) the worker threads of `reproduce` load experiments from by id (it exports
   * experiment objects or arrays of them). Default: the built-in experiments in dist/ when `experiments`
   * is not given, else none. Experiments it does not export run in this process.
   */
  readonly experimentsModule?: string | URL;
  /** Aborting it stops a parallel `reproduce` (workers terminated, finished results kept, exit 130). */
  readonly signal?: AbortSignal;
  /** Let the first SIGINT (Ctrl-C) stop a parallel `reproduce` the same way (the process entry sets it). */
  readonly handleSigint?: boolean;
  /** Compute ops (default: computeOps of src/compute/index.ts). */
  readonly computeOps?: ReadonlyMap<string, ComputeOp>;
  /** Wall clock for timings and report dates (default Date.now); worker threads time runs with their own Date.now. */
  readonly clock?: () => number;
  /** Figure renderer for experiments run in this process (default: vega SVG + resvg PNG; workers always use that). */
  readonly render?: (fig: FigureSpec) => Promise<RenderedFigure>;
}

/** The polelab version from package.json (found by walking up from this file). */
export function polelabVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'polelab' && pkg.version) return pkg.version;
    }
    dir = dirname(dir);
  }
  return '0.0.0';
}

const HELP_OPT = { type: 'boolean', short: 'h', help: 'show this help' } as const;
const OUT_OPT = { type: 'string', value: 'dir', help: 'report directory (default ./report)' } as const;
const PRESET_OPT = { type: 'string', value: 'quick|paper', help: "'quick' = CI-sized (default), 'paper' = the cited setup (each experiment's: polelab list)" } as const;

const COMMANDS: Readonly<Record<string, { readonly usage: string; readonly about: string; readonly options: OptionSpecs }>> = {
  list: { usage: 'list [--json]', about: 'the registered experiments with their paper and figure, and what each preset runs', options: { json: { type: 'boolean', help: 'print JSON (id, title, source, description, presets, defaultSeed)' }, help: HELP_OPT } },
  run: {
    usage: 'run <id> [--config file.json] [--seed N] [--preset quick|paper] [--out dir] [--json]',
    about: 'run one experiment (always, even if up to date) and write its report files; run <id> --help describes the experiment, its presets and config fields',
    options: {
      config: { type: 'string', value: 'file.json', help: 'JSON object of config fields applied on top of the preset' },
      seed: { type: 'string', value: 'N', help: 'integer seed in [0, 2^53-1] (default: the experiment\'s)' },
      preset: PRESET_OPT,
      out: OUT_OPT,
      json: { type: 'boolean', help: 'print {id, status, error (when failed), preset, seed, config, summary, data} as JSON on stdout' },
      help: HELP_OPT,
    },
  },
  reproduce: {
    usage: 'reproduce [ids...] [--preset quick|paper] [--out dir] [--force] [--workers N]',
    about: 'run experiments (default: all, in parallel) into a report; up-to-date results are kept',
    options: {
      preset: PRESET_OPT,
      out: OUT_OPT,
      force: { type: 'boolean', help: 'rerun even when the stored result is up to date' },
      workers: { type: 'string', value: 'N', help: `worker threads, one experiment each (default ${defaultWorkers()} = one per core); 0 = one after another in this process` },
      help: HELP_OPT,
    },
  },
  compute: { usage: 'compute [--input file.json] | compute --help [op]', about: 'JSON compute API: requests on stdin, answers on stdout', options: { input: { type: 'string', value: 'file', help: 'read the request(s) from a file ("-" = stdin)' }, help: HELP_OPT } },
};

function mainHelp(version: string): string {
  const w = Math.max(...Object.values(COMMANDS).map((c) => c.usage.split(' ')[0]!.length));
  return `polelab ${version} — linear recurrent networks as banks of IIR filters; reproducible paper figures.

Usage: polelab <command> [options]

Commands:
${Object.entries(COMMANDS).map(([n, c]) => `  ${n.padEnd(w)}  ${c.about}`).join('\n')}

Options:
  -h, --help     show help (also per command: polelab run --help)
  -V, --version  print the version

The report goes to ./report: index.html and <id>/{data.json, figure.svg, figure.png} per experiment.
Exit codes: 0 success; 1 an experiment or compute request failed, or an internal error; 2 a usage or
input error (one line on stderr); 130 reproduce was interrupted (Ctrl-C; finished results are kept).
POLELAB_DEBUG=1 prints stack traces of internal errors.
See docs/cli.md.
`;
}

function commandHelp(name: string): string {
  const c = COMMANDS[name]!;
  return `Usage: polelab ${c.usage}\n\n${c.about[0]!.toUpperCase()}${c.about.slice(1)}.\n\nOptions:\n${optionsHelp(c.options)}\n`;
}

function knownExperiments(io: CliIo): ExperimentRegistry {
  if (io.experiments) return new ExperimentRegistry(io.experiments);
  const all = [...builtinExperiments];
  for (const e of listExperiments()) if (!all.some((b) => b.id === e.id)) all.push(e);
  return new ExperimentRegistry(all);
}

async function readText(path: string, flag: string, io: CliIo): Promise<string> {
  if (path === '-') return readStdin(io);
  try {
    return await readFile(resolve(io.cwd ?? process.cwd(), path), 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : (e as Error).message;
    throw new InputError(flag, `${flag} ${path}: cannot read the file: ${why}`);
  }
}

async function readStdin(io: CliIo): Promise<string> {
  if (io.stdin === undefined) return '';
  return typeof io.stdin === 'string' ? io.stdin : io.stdin();
}

function summaryLine(summary: Record<string, unknown>, max = 70): string {
  const parts = Object.entries(summary).map(([k, v]) => `${k}=${typeof v === 'number' || typeof v === 'string' ? formatValue(v) : String(v)}`);
  const s = parts.join(', ');
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

/** The end-of-run table: id, status, time, headline numbers. */
export function summaryTable(outcomes: ReadonlyArray<RunOutcome>, interrupted = false): string {
  if (outcomes.length === 0) return interrupted ? 'no experiment finished before the interruption\n' : 'no experiments to run\n';
  const rows = outcomes.map((o) => [o.id, o.status, formatDuration(o.record.meta.durationMs), o.status === 'failed' ? (o.record.meta.error ?? '') : summaryLine(o.record.summary)]);
  const head = ['experiment', 'status', 'time', 'summary'];
  const w = [0, 1, 2].map((i) => Math.max(head[i]!.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => `${r[0]!.padEnd(w[0]!)}  ${r[1]!.padEnd(w[1]!)}  ${r[2]!.padStart(w[2]!)}  ${r[3]}`.trimEnd();
  const count = (s: string): number => outcomes.filter((o) => o.status === s).length;
  return [fmt(head), ...rows.map(fmt), '', `${count('ok')} ok, ${count('skipped')} skipped (up to date), ${count('failed')} failed`].join('\n') + '\n';
}

interface RunRequest {
  readonly plan: PlanItem[];
  readonly outDir: string;
  readonly force: boolean;
  readonly note: string;
  /** Worker threads for the experiments to run; 0 or absent = one after another in this process. */
  readonly workers?: number;
}

/** The module the pool's workers load experiments from, or undefined when they cannot find ours. */
async function workerExperimentsModule(io: CliIo): Promise<string | URL | undefined> {
  if (io.experimentsModule !== undefined) return io.experimentsModule;
  if (io.experiments !== undefined) return undefined;
  return (await import('./reproduce-parallel.js')).builtinExperimentsModule();
}

/**
 * Runs a plan into outDir, refreshing index.html after each experiment; returns the finished outcomes and
 * the ids that did not finish (a parallel run that was aborted).
 */
async function execute(req: RunRequest, registry: ExperimentRegistry, io: CliIo): Promise<{ outcomes: RunOutcome[]; unfinished: string[]; index: string }> {
  const { runPlan } = await import('../src/experiments/runner.js');
  const { FileResultStore, collectReport, writeReportIndex } = await import('../src/report/writer.js');
  const { createProgressReporter } = await import('../src/report/progress.js');
  const version = polelabVersion();
  const clock = io.clock ?? Date.now;
  const progress = createProgressReporter(io.stderr, { now: clock });
  const done: RunOutcome[] = [];
  const writeIndex = async (): Promise<string> =>
    writeReportIndex(req.outDir, await collectReport(req.outDir, registry.list(), done, { polelab: version, note: req.note, now: clock }));
  const debug = io.env?.['POLELAB_DEBUG'] === '1';
  const observer: RunObserver = {
    start: (e, i, n) => progress.start!(e, i, n) ?? undefined,
    finish: async (o, i, n) => {
      progress.finish!(o, i, n);
      if (debug && o.stack) progress.log(o.stack + '\n');
      done.push(o);
      await writeIndex();
    },
  };
  try {
    const module = req.workers ? await workerExperimentsModule(io) : undefined;
    if (req.workers && module !== undefined) {
      const { runPlanParallel } = await import('./reproduce-parallel.js');
      const r = await runPlanParallel(req.plan, {
        outDir: req.outDir,
        workers: req.workers,
        experimentsModule: module,
        force: req.force,
        version,
        clock,
        observer,
        ...(io.render ? { render: io.render } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
        ...(io.handleSigint ? { handleSigint: true } : {}),
      });
      return { outcomes: r.outcomes, unfinished: r.unfinished, index: await writeIndex() };
    }
    const store = new FileResultStore(req.outDir, io.render ? { render: io.render } : {});
    const outcomes = await runPlan(req.plan, { store, force: req.force, version, clock, observer });
    return { outcomes, unfinished: [], index: await writeIndex() };
  } finally {
    // the heartbeat timer of experiments that never finished (an interrupted run)
    progress.close();
  }
}

function outDirOf(opts: Readonly<Record<string, string | boolean>>, io: CliIo): string {
  return resolve(io.cwd ?? process.cwd(), typeof opts['out'] === 'string' ? opts['out'] : 'report');
}

function shownPath(p: string, io: CliIo): string {
  const r = relative(io.cwd ?? process.cwd(), p);
  return r && !r.startsWith('..') ? r : p;
}

async function cmdList(args: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(args, COMMANDS['list']!.options, 'polelab list');
  if (positionals.length) throw new InputError('list', `polelab list: unexpected argument ${JSON.stringify(positionals[0])}; list takes no arguments`);
  const exps = knownExperiments(io).list();
  if (options['json']) {
    const out = exps.map((e) => ({ id: e.id, title: e.title, source: e.source, description: e.description, presets: presetTexts(e), ...(e.defaultSeed !== undefined ? { defaultSeed: e.defaultSeed } : {}) }));
    io.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return 0;
  }
  if (!exps.length) {
    io.stdout.write('no experiments registered\n');
    return 0;
  }
  const w = Math.max(...exps.map((e) => e.id.length));
  const wp = Math.max(...exps.map((e) => e.source.paper.length));
  for (const e of exps) io.stdout.write(`${e.id.padEnd(w)}  ${e.source.paper.padEnd(wp)}  ${e.source.figure}  — ${e.title}\n${presetLines(e)}\n`);
  return 0;
}

async function cmdRun(args: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(args, COMMANDS['run']!.options, 'polelab run');
  if (positionals.length !== 1) {
    throw new InputError('id', `polelab run: expected exactly one experiment id, got ${positionals.length ? positionals.map((p) => JSON.stringify(p)).join(' ') : 'none'} (see polelab list)`);
  }
  const registry = knownExperiments(io);
  const experiment = registry.get(positionals[0]!);
  const preset: Preset = typeof options['preset'] === 'string' ? parsePreset(options['preset']) : 'quick';
  const seed = typeof options['seed'] === 'string' ? parseSeed(options['seed']) : undefined;
  const overrides = typeof options['config'] === 'string' ? parseConfigJson(await readText(options['config'], '--config', io), options['config']) : undefined;
  const resolved = resolveConfig(experiment, { preset, ...(overrides ? { overrides } : {}), ...(seed !== undefined ? { seed } : {}) });
  const outDir = outDirOf(options, io);
  // One worker: the experiment runs off the main thread, so the reporter's clock keeps moving (and says so every few
  // seconds) even through a long synchronous step such as the exact spectral radius of a large reservoir.
  const { outcomes, index } = await execute({ plan: [{ experiment, resolved }], outDir, force: true, note: `polelab run ${args.join(' ')}`, workers: 1 }, registry, io);
  const o = outcomes[0]!;
  if (options['json']) {
    const m = o.record.meta;
    io.stdout.write(JSON.stringify({ id: o.id, status: o.status, ...(m.error ? { error: m.error } : {}), preset: m.preset, seed: m.seed, config: m.config, summary: o.record.summary, data: o.record.data }) + '\n');
  } else {
    io.stdout.write(summaryTable(outcomes) + `report: ${shownPath(index, io)}\n`);
  }
  return o.status === 'failed' ? 1 : 0;
}

async function cmdReproduce(args: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(args, COMMANDS['reproduce']!.options, 'polelab reproduce');
  const workers = typeof options['workers'] === 'string' ? parseWorkers(options['workers'], defaultWorkers()) : defaultWorkers();
  const registry = knownExperiments(io);
  const preset: Preset = typeof options['preset'] === 'string' ? parsePreset(options['preset']) : 'quick';
  const chosen = positionals.length ? [...new Set(positionals)].map((id) => registry.get(id)) : registry.list();
  const plan: PlanItem[] = chosen.map((experiment) => {
    try {
      return { experiment, resolved: resolveConfig(experiment, { preset }) };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      return { experiment, invalid: `${preset} preset: ${e.message}`, preset, seed: experiment.defaultSeed ?? 0 };
    }
  });
  const outDir = outDirOf(options, io);
  const note = `polelab reproduce ${args.join(' ')}`.trim();
  const { outcomes, unfinished, index } = await execute({ plan, outDir, force: options['force'] === true, note, workers }, registry, io);
  io.stdout.write(summaryTable(outcomes, unfinished.length > 0) + `report: ${shownPath(index, io)}\n`);
  if (unfinished.length) {
    const n = unfinished.length;
    io.stderr.write(`polelab: interrupted: ${n} experiment${n > 1 ? 's' : ''} did not finish (${unfinished.join(', ')}); finished results are kept, rerun to complete\n`);
    return 130;
  }
  return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
}

async function cmdCompute(args: readonly string[], io: CliIo): Promise<number> {
  const { options, positionals } = parseArgs(args, COMMANDS['compute']!.options, 'polelab compute');
  const ops = io.computeOps ?? (await import('../src/compute/index.js')).computeOps;
  if (options['help']) {
    if (positionals.length > 1) throw new InputError('op', `polelab compute --help: expected at most one op name, got ${positionals.length}`);
    io.stdout.write(positionals.length ? computeOpHelp(ops, positionals[0]!) : computeOpsHelp(ops));
    return 0;
  }
  if (positionals.length) throw new InputError('compute', `polelab compute: unexpected argument ${JSON.stringify(positionals[0])}; requests come from stdin or --input`);
  const input = typeof options['input'] === 'string' ? options['input'] : '-';
  const text = input === '-' ? await readStdin(io) : await readText(input, '--input', io);
  const r = runCompute(text, ops, input === '-' ? 'stdin' : input);
  io.stdout.write(r.output);
  return r.code;
}

/**
 * Runs the CLI on `argv` (without "node" and the script) and returns the exit code: 0 success, 1 an
 * experiment or request failed or an internal error, 2 a user error (one line on stderr, no stack).
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const [first, ...rest] = argv;
    if (first === undefined) throw new InputError('command', `missing command: expected one of ${Object.keys(COMMANDS).join(', ')} (see polelab --help)`);
    if (first === '--help' || first === '-h' || first === 'help') {
      io.stdout.write(mainHelp(polelabVersion()));
      return 0;
    }
    if (first === '--version' || first === '-V' || first === '-v') {
      io.stdout.write(polelabVersion() + '\n');
      return 0;
    }
    if (first.startsWith('-')) throw new InputError(first, `unknown option ${first}; allowed before a command: --help, --version (see polelab --help)`);
    if (!(first in COMMANDS)) throw new InputError('command', `unknown command ${JSON.stringify(first)}; expected one of ${Object.keys(COMMANDS).join(', ')} (see polelab --help)`);
    if (first !== 'compute' && (rest.includes('--help') || rest.includes('-h'))) {
      const { positionals } = parseArgs(rest, COMMANDS[first]!.options, `polelab ${first}`);
      // run <id> --help: the command's options, then the experiment's presets and config fields
      const about = first === 'run' && positionals.length === 1 ? `\n${experimentHelp(knownExperiments(io).get(positionals[0]!))}` : '';
      io.stdout.write(commandHelp(first) + about);
      return 0;
    }
    // an unknown or unusable POLELAB_BACKEND is a usage error of the whole command (exit 2), not of each request
    if (first !== 'list') defaultBackend();
    switch (first) {
      case 'list':
        return await cmdList(rest, io);
      case 'run':
        return await cmdRun(rest, io);
      case 'reproduce':
        return await cmdReproduce(rest, io);
      default:
        return await cmdCompute(rest, io);
    }
  } catch (e) {
    if (e instanceof InputError) {
      const line = e.message.replace(/\s*\n\s*/g, ' ');
      // a message that already names its command ("polelab run: ...") is not prefixed again
      io.stderr.write(`${line.startsWith('polelab ') ? '' : 'polelab: '}${line}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    const kind = e instanceof PolelabError ? 'error' : 'internal error';
    io.stderr.write(`polelab: ${kind}: ${msg}${io.env?.['POLELAB_DEBUG'] === '1' ? '' : ' (set POLELAB_DEBUG=1 for the stack trace)'}\n`);
    if (io.env?.['POLELAB_DEBUG'] === '1' && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
    return 1;
  }
}

/** The real process streams. */
function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: async () => {
      // An interactive terminal is not a request source: report "empty input" instead of waiting.
      if (process.stdin.isTTY) return '';
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    },
    env: process.env,
    handleSigint: true,
  };
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  void main(process.argv.slice(2), processIo()).then((code) => {
    process.exitCode = code;
  });
}
