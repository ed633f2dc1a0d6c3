// Tests of `polelab compute` with test ops: single request, arrays, errors in place, --input, help, malformed JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeMat } from '../src/compute/codec.js';
import type { ComputeOp } from '../src/compute/op.js';
import { mat } from '../src/core/types.js';
import { InputError } from '../src/core/errors.js';
import { computeOpHelp, computeOpsHelp, runCompute } from './compute.js';
import { main } from './main.js';

const scaleOp: ComputeOp = {
  name: 'scale',
  summary: 'k·A for a real matrix A',
  help: 'Request: {"op": "scale", "A": [[...]], "k": number (default 2)}\nAnswer: {"B": k·A}',
  run(req) {
    const A = req.realMat('A');
    const k = req.num('k', { default: 2 });
    req.assertNoUnknown();
    return { B: encodeMat(mat(A.rows, A.cols, A.data.map((v) => k * v))) };
  },
};

const sumOp: ComputeOp = {
  name: 'sum',
  summary: 'sum of a vector',
  help: 'Request: {"op": "sum", "x": [...]}',
  run(req) {
    const x = req.realVec('x');
    req.assertNoUnknown();
    return { sum: x.reduce((a, b) => a + b, 0) };
  },
};

const ops = new Map([['scale', scaleOp], ['sum', sumOp]]);

const tmp = mkdtempSync(join(tmpdir(), 'polelab-compute-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function io(stdin = '') {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s: string) => void (out.stdout += s) },
      stderr: { write: (s: string) => void (out.stderr += s) },
      stdin,
      computeOps: ops,
      cwd: tmp,
    },
  };
}

describe('runCompute', () => {
  it('one request object -> one answer object, exit 0', () => {
    const r = runCompute('{"op": "scale", "A": [[1, 2], [3, 4]], "k": 0.5}', ops);
    expect(JSON.parse(r.output)).toEqual({ B: [[0.5, 1], [1.5, 2]] });
    expect(r.code).toBe(0);
  });

  it('an array -> answers in the same order; a failing request gives {"error"} in place and exit 1', () => {
    const r = runCompute(JSON.stringify([{ op: 'sum', x: [1, 2, 3] }, { op: 'scale', A: [[1]], lamda: 1 }, { op: 'nope' }, { op: 'sum', x: [0.5] }]), ops);
    expect(JSON.parse(r.output)).toEqual([
      { sum: 6 },
      { error: 'scale: unknown field "lamda"; this op reads: A, k' },
      { error: 'nope: unknown op; available ops: scale, sum' },
      { sum: 0.5 },
    ]);
    expect(r.code).toBe(1);
    expect(runCompute('[]', ops)).toEqual({ output: '[]\n', code: 0 });
  });

  it('malformed or empty input is an InputError', () => {
    expect(() => runCompute('{"op": "sum", ', ops)).toThrow(InputError);
    expect(() => runCompute('{"op": "sum", ', ops, 'req.json')).toThrow(/^compute: input \(req\.json\) is not valid JSON: /);
    expect(() => runCompute('  ', ops)).toThrow('compute: input (stdin) is empty; expected a JSON request object or an array of them');
  });

  it('help lists ops with summaries; op help prints the full help; unknown op is an InputError', () => {
    const h = computeOpsHelp(ops);
    expect(h).toContain('  scale  k·A for a real matrix A\n  sum    sum of a vector');
    expect(computeOpHelp(ops, 'scale')).toBe('scale — k·A for a real matrix A\n\nRequest: {"op": "scale", "A": [[...]], "k": number (default 2)}\nAnswer: {"B": k·A}\n');
    expect(() => computeOpHelp(ops, 'scal')).toThrow('compute: unknown op "scal"; available ops: scale, sum');
  });
});

describe('polelab compute (in-process)', () => {
  it('reads stdin and writes the answer to stdout', async () => {
    const t = io('{"op": "sum", "x": [1, 2]}');
    expect(await main(['compute'], t.io)).toBe(0);
    expect(t.out.stdout).toBe('{"sum":3}\n');
    expect(t.out.stderr).toBe('');
  });

  it('--input file; a failed request exits 1 with the error in place', async () => {
    writeFileSync(join(tmp, 'req.json'), '[{"op": "sum", "x": [2]}, {"op": "sum", "x": "no"}]');
    const t = io();
    expect(await main(['compute', '--input', 'req.json'], t.io)).toBe(1);
    expect(JSON.parse(t.out.stdout)).toEqual([{ sum: 2 }, { error: 'sum: x = "no": expected a flat array of numbers' }]);
  });

  it('malformed JSON and a missing --input file exit 2 with one line on stderr', async () => {
    const t = io('{"op": ');
    expect(await main(['compute'], t.io)).toBe(2);
    expect(t.out.stderr).toMatch(/^polelab: compute: input \(stdin\) is not valid JSON: [^\n]*\n$/);
    expect(t.out.stdout).toBe('');
    const m = io();
    expect(await main(['compute', '--input', 'missing.json'], m.io)).toBe(2);
    expect(m.out.stderr).toBe('polelab: --input missing.json: cannot read the file: no such file\n');
  });

  it('--help lists the ops; --help <op> prints its help; an unknown op exits 2', async () => {
    const a = io();
    expect(await main(['compute', '--help'], a.io)).toBe(0);
    expect(a.out.stdout).toContain('Ops:\n  scale  k·A for a real matrix A\n  sum    sum of a vector');
    const b = io();
    expect(await main(['compute', '--help', 'sum'], b.io)).toBe(0);
    expect(b.out.stdout).toBe('sum — sum of a vector\n\nRequest: {"op": "sum", "x": [...]}\n');
    const c = io();
    expect(await main(['compute', '--help', 'sun'], c.io)).toBe(2);
    expect(c.out.stderr).toBe('polelab: compute: unknown op "sun"; available ops: scale, sum\n');
  });
});
