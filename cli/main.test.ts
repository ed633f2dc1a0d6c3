// In-process tests of the polelab CLI with fake experiments: error paths (exit 2, one line), run, reproduce, skipping, --force, failures.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeExperiments, runCalls } from '../test/fake-experiments.js';
import type { AnyExperiment } from '../src/experiments/experiment.js';
import { main, polelabVersion, summaryTable, type CliIo } from './main.js';

const tmp = mkdtempSync(join(tmpdir(), 'polelab-cli-'));
const cores = availableParallelism();
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let caseNo = 0;

/** A fresh working directory per test and captured streams. */
function cli(opts: { experiments?: AnyExperiment[]; env?: Record<string, string> } = {}) {
  const cwd = join(tmp, `case-${++caseNo}`);
  const out = { stdout: '', stderr: '' };
  const io: CliIo = {
    stdout: { write: (s: string) => void (out.stdout += s) },
    stderr: { write: (s: string) => void (out.stderr += s), isTTY: false },
    cwd,
    experiments: opts.experiments ?? fakeExperiments,
    env: opts.env ?? {},
  };
  const run = async (...argv: string[]) => {
    out.stdout = '';
    out.stderr = '';
    return main(argv, io);
  };
  return { run, out, cwd, file: (...p: string[]) => join(cwd, ...p) };
}

function writeJson(path: string, text: string): void {
  rmSync(path, { force: true });
  writeFileSync(path, text);
}

beforeEach(() => runCalls.clear());

describe('user errors: one line on stderr, exit 2, no stack', () => {
  const cases: Array<[string, string[], string | RegExp, ((cwd: string) => void)?]> = [
    ['no command', [], 'polelab: missing command: expected one of list, run, reproduce, compute (see polelab --help)'],
    ['unknown command', ['reproduse'], 'polelab: unknown command "reproduse"; expected one of list, run, reproduce, compute (see polelab --help)'],
    ['unknown global flag', ['--verbose'], 'polelab: unknown option --verbose; allowed before a command: --help, --version (see polelab --help)'],
    ['unknown command flag', ['run', 'fake/square', '--sed', '3'], 'polelab run: unknown option --sed; allowed: --config, --seed, --preset, --out, --json, --help'],
    ['unknown id', ['run', 'fake/sqare'], 'polelab: unknown experiment id "fake/sqare"; known ids: fake/square, fake/throws, fake/slow'],
    ['unknown id in reproduce', ['reproduce', 'fake/square', 'esn/nope'], 'polelab: unknown experiment id "esn/nope"; known ids: fake/square, fake/throws, fake/slow'],
    ['missing id', ['run'], 'polelab run: expected exactly one experiment id, got none (see polelab list)'],
    ['bad --seed', ['run', 'fake/square', '--seed', '-3'], 'polelab: --seed = "-3": must be an integer in [0, 2^53-1]'],
    ['non-integer --seed', ['run', 'fake/square', '--seed=1.5'], 'polelab: --seed = "1.5": must be an integer in [0, 2^53-1]'],
    ['bad --preset', ['reproduce', '--preset', 'full'], 'polelab: --preset = "full": must be one of quick, paper'],
    ['missing config file', ['run', 'fake/square', '--config', 'nope.json'], 'polelab: --config nope.json: cannot read the file: no such file'],
    ['malformed config JSON', ['run', 'fake/square', '--config', 'c.json'], /^polelab: --config c\.json: not valid JSON: .+$/, (cwd) => writeJson(join(cwd, 'c.json'), '{"n": 10,}')],
    ['config not an object', ['run', 'fake/square', '--config', 'c.json'], 'polelab: --config c.json: expected a JSON object of config fields, got [1]', (cwd) => writeJson(join(cwd, 'c.json'), '[1]')],
    ['unknown config field', ['run', 'fake/square', '--config', 'c.json'], 'polelab: config: unknown field "scal" (fake/square); allowed: n, scale, noise', (cwd) => writeJson(join(cwd, 'c.json'), '{"scal": 2}')],
    ['out-of-range config value', ['run', 'fake/square', '--config', 'c.json'], 'polelab: config: scale = -1: must be > 0 (fake/square)', (cwd) => writeJson(join(cwd, 'c.json'), '{"scale": -1}')],
    ['nested config value', ['run', 'fake/square', '--config', 'c.json'], 'polelab: config: noise.amp = -0.5: must be >= 0 (fake/square)', (cwd) => writeJson(join(cwd, 'c.json'), '{"noise": {"amp": -0.5}}')],
    ['list with an argument', ['list', 'x'], 'polelab list: unexpected argument "x"; list takes no arguments'],
    ['non-numeric --workers', ['reproduce', '--workers', 'two'], `polelab: --workers = "two": must be an integer >= 1, or 0 to run in this process (default ${cores}, one per core)`],
    ['negative --workers', ['reproduce', '--workers', '-1'], `polelab: --workers = "-1": must be an integer >= 1, or 0 to run in this process (default ${cores}, one per core)`],
    ['fractional --workers', ['reproduce', '--workers=1.5'], `polelab: --workers = "1.5": must be an integer >= 1, or 0 to run in this process (default ${cores}, one per core)`],
    ['empty --workers', ['reproduce', 'fake/square', '--workers='], `polelab: --workers = "": must be an integer >= 1, or 0 to run in this process (default ${cores}, one per core)`],
    ['missing --workers value', ['reproduce', '--workers'], 'polelab reproduce: option --workers needs a value (N)'],
    ['run takes no --workers', ['run', 'fake/square', '--workers', '2'], 'polelab run: unknown option --workers; allowed: --config, --seed, --preset, --out, --json, --help'],
  ];
  for (const [name, argv, expected, prepare] of cases) {
    it(name, async () => {
      const c = cli();
      mkdirSync(c.cwd, { recursive: true });
      prepare?.(c.cwd);
      expect(await c.run(...argv)).toBe(2);
      expect(c.out.stderr.endsWith('\n')).toBe(true);
      const lines = c.out.stderr.slice(0, -1).split('\n');
      expect(lines).toHaveLength(1);
      if (typeof expected === 'string') expect(lines[0]).toBe(expected);
      else expect(lines[0]).toMatch(expected);
      expect(c.out.stdout).toBe('');
      expect(runCalls.size).toBe(0);
      expect(existsSync(c.file('report'))).toBe(false);
    });
  }
});

describe('help, version, list', () => {
  it('--version prints the package.json version', async () => {
    const c = cli();
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(await c.run('--version')).toBe(0);
    expect(c.out.stdout).toBe(`${pkg.version}\n`);
    expect(polelabVersion()).toBe(pkg.version);
  });

  it('--help lists the commands; <command> --help shows its options', async () => {
    const c = cli();
    expect(await c.run('--help')).toBe(0);
    for (const cmd of ['list', 'run', 'reproduce', 'compute']) expect(c.out.stdout).toContain(`\n  ${cmd} `);
    expect(await c.run('run', '--help')).toBe(0);
    expect(c.out.stdout).toContain('Usage: polelab run <id> [--config file.json] [--seed N] [--preset quick|paper] [--out dir] [--json]');
    expect(c.out.stdout).toContain('--config <file.json>');
    expect(await c.run('reproduce', '--help')).toBe(0);
    expect(c.out.stdout).toContain('Usage: polelab reproduce [ids...] [--preset quick|paper] [--out dir] [--force] [--workers N]');
    expect(c.out.stdout).toMatch(/--workers <N> +worker threads/);
    expect(c.out.stdout).toContain(`worker threads, one experiment each (default ${cores} = one per core); 0 = one after another in this process`);
  });

  it('run <id> --help adds the experiment: its presets and config fields; an unknown id is a usage error', async () => {
    const c = cli();
    expect(await c.run('run', 'fake/square', '--help')).toBe(0);
    expect(c.out.stdout).toContain('Usage: polelab run <id>');
    expect(c.out.stdout).toContain('\nfake/square — Square law\n');
    expect(c.out.stdout).toContain('Presets (--preset):\n  quick (default): the schema defaults with n = 8\n  paper: the schema defaults\n');
    expect(c.out.stdout).toMatch(/\n {2}n +50 +8\n/);
    expect(await c.run('run', 'fake/nope', '--help')).toBe(2);
    expect(c.out.stderr).toMatch(/^polelab: unknown experiment id "fake\/nope"; known ids: fake\/square/);
  });

  it('list prints id, paper and figure; --json gives the same as data', async () => {
    const c = cli();
    expect(await c.run('list')).toBe(0);
    expect(c.out.stdout.split('\n').slice(0, 3)).toEqual([
      'fake/square  Test paper 2026  Fig. 1  — Square law',
      '    quick: the schema defaults with n = 8',
      '    paper: the schema defaults',
    ]);
    expect(await c.run('list', '--json')).toBe(0);
    const j = JSON.parse(c.out.stdout) as Array<{ id: string; source: { paper: string; figure: string }; presets: { quick: string; paper: string }; defaultSeed?: number }>;
    expect(j[0]!.presets).toEqual({ quick: 'the schema defaults with n = 8', paper: 'the schema defaults' });
    expect(j.map((e) => [e.id, e.source.paper, e.source.figure])).toEqual([['fake/square', 'Test paper 2026', 'Fig. 1'], ['fake/throws', 'Test paper 2026', 'Fig. 2'], ['fake/slow', 'Other paper', 'Fig. 3']]);
    expect(j[0]!.defaultSeed).toBe(7);
  });
});

describe('run', () => {
  it('writes data.json, figure.svg, figure.png and index.html; prints a summary table', async () => {
    const c = cli();
    expect(await c.run('run', 'fake/square', '--seed', '5')).toBe(0);
    const d = c.file('report', 'fake', 'square');
    const rec = JSON.parse(readFileSync(join(d, 'data.json'), 'utf8'));
    expect(rec.meta).toMatchObject({ id: 'fake/square', status: 'ok', seed: 5, preset: 'quick', config: { n: 8, scale: 1, noise: { amp: 0.01 } }, polelab: polelabVersion() });
    expect(typeof rec.meta.durationMs).toBe('number');
    expect(rec.data.x).toHaveLength(8);
    expect(readFileSync(join(d, 'figure.svg'), 'utf8').startsWith('<svg')).toBe(true);
    expect(Array.from(readFileSync(join(d, 'figure.png')).subarray(0, 4))).toEqual([0x89, 0x50, 0x4e, 0x47]);
    const html = readFileSync(c.file('report', 'index.html'), 'utf8');
    expect(html).toContain('<img src="fake/square/figure.svg"');
    expect(c.out.stdout).toMatch(/^experiment\s+status\s+time\s+summary\nfake\/square\s+ok\s+\S+ m?s\s+n=8, sumY=[-\d.e]+, ratio=Infinity, label=parabola\n\n1 ok, 0 skipped \(up to date\), 0 failed\nreport: report\/index\.html\n$/);
    expect(c.out.stderr).toMatch(/^fake\/square: started\nfake\/square: ok in .+\n$/);
  });

  it('--json prints status, config, seed, summary and data; --config and --preset paper apply', async () => {
    const c = cli();
    mkdirSync(c.cwd, { recursive: true });
    writeFileSync(c.file('c.json'), '{"scale": 3, "noise": {"amp": 0}}');
    expect(await c.run('run', 'fake/square', '--preset', 'paper', '--config', 'c.json', '--json', '--out', 'out')).toBe(0);
    const j = JSON.parse(c.out.stdout);
    expect(j).toMatchObject({ id: 'fake/square', status: 'ok', preset: 'paper', seed: 7, config: { n: 50, scale: 3, noise: { amp: 0 } }, summary: { n: 50, ratio: 'Infinity', label: 'parabola' } });
    // noise.amp = 0: y = 3·x² exactly, so the sum is 3·Σ(i/49)² = 3·(49·50·99/6)/49² (rounding only).
    expect(Math.abs(j.summary.sumY - (3 * (49 * 50 * 99) / 6) / 49 ** 2)).toBeLessThan(1e-12);
    expect(j.data.y[49]).toBe(3);
    expect(existsSync(c.file('out', 'fake', 'square', 'figure.png'))).toBe(true);
  });

  it('a failing experiment: exit 1, reported on stderr and in the summary; POLELAB_DEBUG=1 adds its stack', async () => {
    const c = cli({ env: { POLELAB_DEBUG: '1' } });
    expect(await c.run('run', 'fake/throws')).toBe(1);
    expect(c.out.stderr).toContain('fake/throws: failed in');
    expect(c.out.stderr).toContain(': run: boom: diverged at epoch 3\nError: boom: diverged at epoch 3\n    at ');
    expect(c.out.stdout).toContain('fake/throws  failed');
    const rec = JSON.parse(readFileSync(c.file('report', 'fake', 'throws', 'data.json'), 'utf8'));
    expect(rec.meta).toMatchObject({ status: 'failed', error: 'run: boom: diverged at epoch 3' });
  });

  it('an internal error exits 1 with a short message; the stack only with POLELAB_DEBUG=1', async () => {
    const c = cli();
    mkdirSync(c.cwd, { recursive: true });
    writeFileSync(c.file('afile'), 'not a directory');
    expect(await c.run('run', 'fake/square', '--out', 'afile')).toBe(1);
    expect(c.out.stderr).toMatch(/^fake\/square: started\npolelab: internal error: ENOTDIR[^\n]*\(set POLELAB_DEBUG=1 for the stack trace\)\n$/);
    const d = cli({ env: { POLELAB_DEBUG: '1' } });
    mkdirSync(d.cwd, { recursive: true });
    writeFileSync(d.file('afile'), 'x');
    expect(await d.run('run', 'fake/square', '--out', 'afile')).toBe(1);
    expect(d.out.stderr).toMatch(/polelab: internal error: ENOTDIR[^\n]*\n(Error: )?ENOTDIR[^\n]*\n\s+at /);
  });
});

describe('reproduce', () => {
  it('runs every experiment, isolates the failure (exit 1), writes all files; rerun skips; --force reruns', async () => {
    const c = cli();
    expect(await c.run('reproduce')).toBe(1);
    expect([...runCalls.entries()]).toEqual([['fake/square', 1], ['fake/throws', 1], ['fake/slow', 1]]);
    for (const f of ['fake/square/figure.svg', 'fake/square/figure.png', 'fake/slow/figure.svg', 'fake/slow/figure-2.svg', 'fake/slow/figure-2.png', 'fake/throws/data.json', 'index.html']) {
      expect(existsSync(c.file('report', ...f.split('/'))), f).toBe(true);
    }
    expect(c.out.stdout).toContain('2 ok, 0 skipped (up to date), 1 failed');
    expect(c.out.stderr.split('\n').filter((l) => /^\[\d\/3\] /.test(l) && !l.includes('%'))).toEqual([
      '[1/3] fake/square: started', expect.stringMatching(/^\[1\/3\] fake\/square: ok in /),
      '[2/3] fake/throws: started', expect.stringMatching(/^\[2\/3\] fake\/throws: failed in .*: run: boom: diverged at epoch 3$/),
      '[3/3] fake/slow: started', expect.stringMatching(/^\[3\/3\] fake\/slow: ok in /),
    ]);
    const html = readFileSync(c.file('report', 'index.html'), 'utf8');
    for (const id of ['fake/square', 'fake/throws', 'fake/slow']) expect(html).toContain(`<code>${id}</code>`);
    expect(html).toContain('<img src="fake/slow/figure-2.svg"');

    // Rerun: finished ones are skipped (run() not called again), the failed one is retried.
    expect(await c.run('reproduce')).toBe(1);
    expect([...runCalls.entries()]).toEqual([['fake/square', 1], ['fake/throws', 2], ['fake/slow', 1]]);
    expect(c.out.stdout).toContain('0 ok, 2 skipped (up to date), 1 failed');

    expect(await c.run('reproduce', 'fake/square', 'fake/slow', '--force')).toBe(0);
    expect([...runCalls.entries()]).toEqual([['fake/square', 2], ['fake/throws', 2], ['fake/slow', 2]]);
    // The index still lists the experiment not in this invocation (from its stored record).
    expect(readFileSync(c.file('report', 'index.html'), 'utf8')).toContain('<code>fake/throws</code>');
  });

  it('a changed config or preset reruns; an unchanged one does not', async () => {
    const c = cli();
    expect(await c.run('reproduce', 'fake/square')).toBe(0);
    expect(await c.run('reproduce', 'fake/square')).toBe(0);
    expect(runCalls.get('fake/square')).toBe(1);
    mkdirSync(c.cwd, { recursive: true });
    writeFileSync(c.file('c.json'), '{"scale": 2}');
    expect(await c.run('run', 'fake/square', '--config', 'c.json')).toBe(0);
    expect(runCalls.get('fake/square')).toBe(2);
    // The stored record now has scale 2; the quick preset (scale 1) differs, so reproduce reruns.
    expect(await c.run('reproduce', 'fake/square')).toBe(0);
    expect(runCalls.get('fake/square')).toBe(3);
    expect(await c.run('reproduce', 'fake/square', '--preset', 'paper')).toBe(0);
    expect(runCalls.get('fake/square')).toBe(4);
    expect(JSON.parse(readFileSync(c.file('report', 'fake', 'square', 'data.json'), 'utf8')).meta.config.n).toBe(50);
  });

  it('an experiment whose quick preset does not validate is reported failed without stopping the others', async () => {
    const broken = { ...fakeExperiments[0]!, id: 'fake/broken', quick: { n: 1 } };
    const c = cli({ experiments: [broken, fakeExperiments[2]!] });
    expect(await c.run('reproduce')).toBe(1);
    expect(c.out.stderr).toContain('[1/2] fake/broken: failed in 0 ms: quick preset: config: n = 1: must be >= 2 (fake/broken)');
    expect(runCalls.get('fake/slow')).toBe(1);
  });
});

describe('summaryTable', () => {
  it('says why nothing is listed: nothing to run, or nothing finished before an interruption', () => {
    expect(summaryTable([])).toBe('no experiments to run\n');
    expect(summaryTable([], true)).toBe('no experiment finished before the interruption\n');
  });
});
