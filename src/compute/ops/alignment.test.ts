// Tests of the `alignment` compute op: hand-computed answers, agreement with the library, optional B, errors naming fields.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../core/rng.js';
import { toRows } from '../../core/types.js';
import { alignments } from '../../theory/alignment.js';
import { alignedFeedback, alignedNetwork, randomOrthogonal } from '../../theory/task.js';
import { runRequest } from '../op.js';
import { alignmentOps } from './alignment.js';

const ops = new Map(alignmentOps.map((o) => [o.name, o]));
function run(req: Record<string, unknown>): Record<string, unknown> {
  return runRequest(ops, req).result as Record<string, unknown>;
}

describe('alignment op', () => {
  it('upper-triangular W with U = V = I and B = [[1,1],[0,1]]: the hand values of docs/theory/alignment.md §3', () => {
    // P = [[1, 1/√1.09], [0, −0.3/√1.09]], P⁻¹ = [[1, 1/0.3], [0, −√1.09/0.3]] (see src/theory/alignment.test.ts);
    // 2×2 problems, a few roundings of O(10) numbers: 1e-13
    const r = run({ op: 'alignment', W: [[0.5, 1], [0, 0.2]], U: [[1, 0], [0, 1]], V: [[1, 0], [0, 1]], B: [[1, 1], [0, 1]], nTeacher: 2 });
    const s = Math.sqrt(1.09);
    expect(Math.abs((r['recurrent'] as number) - 1.09 / 2.09)).toBeLessThan(1e-13);
    expect(Math.abs((r['input'] as number) - 1.18 / 2.18)).toBeLessThan(1e-13);
    expect(Math.abs((r['output'] as number) - 1.18 / 2.18)).toBeLessThan(1e-13);
    expect(Math.abs((r['feedback'] as number) - (1 + 1.09 / 0.09) / (1 + (1 + 1 / 0.3) ** 2 + 1.09 / 0.09))).toBeLessThan(1e-13);
    const modes = r['modes'] as number[][];
    const want = [[0.5, 1, 1, 1], [0.2, -s / 0.3, -0.3 / s, -s / 0.3]];
    expect(modes.length).toBe(2);
    for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) expect(Math.abs(modes[i]![k]! - want[i]![k]!)).toBeLessThan(1e-13);
  });

  it('without B: no feedback field and three numbers per mode; min(N, I, O) modes', () => {
    const r = run({ op: 'alignment', W: [[0.7, 0, 0], [0, 0.3, 0], [0, 0, -0.2]], U: [[1], [0], [0]], V: [[1, 0, 0], [0, 1, 0]], nTeacher: 1 });
    expect(r).not.toHaveProperty('feedback');
    expect(r['modes']).toEqual([[0.7, 1, 1]]);
    expect(r['recurrent']).toBe(1);
    expect(r['input']).toBe(1);
    expect(r['output']).toBe(1);
  });

  it('an aligned network (R = L = I) gives 1 everywhere and equals the library function', () => {
    const rng = createRng(11);
    const I3 = { rows: 3, cols: 3, data: Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1) };
    const P = randomOrthogonal(rng, 3);
    const net = alignedNetwork({ P, R: I3, L: I3, w: [0.8, 0.1, -0.5], u: [1, 2, -1], v: [0.5, -1, 2] });
    const B = alignedFeedback(P, I3, [0.3, -0.7, 1.1]);
    const r = run({ op: 'alignment', W: toRows(net.W), U: toRows(net.U), V: toRows(net.V), B: toRows(B), nTeacher: 3 });
    const lib = alignments(net, { nTeacher: 3, B });
    // aligned: every alignment is 1 to the rounding of a symmetric 3×3 eigenproblem with gaps ≥ 0.6 (1e-12 is ample)
    for (const k of ['recurrent', 'input', 'output', 'feedback'] as const) {
      expect(Math.abs((r[k] as number) - 1)).toBeLessThan(1e-12);
      expect(r[k]).toBe(lib[k]); // the op is the library function on the parsed matrices: bit-identical
    }
    const modes = r['modes'] as number[][];
    for (let i = 0; i < 3; i++) expect(modes[i]).toEqual([lib.modes.w[i], lib.modes.u[i], lib.modes.v[i], lib.modes.b![i]]);
  });

  it('bad requests name the field', () => {
    const base = { op: 'alignment', W: [[0.5, 0], [0, 0.2]], U: [[1], [1]], V: [[1, 1]], nTeacher: 2 };
    const e = (req: Record<string, unknown>): string => run(req)['error'] as string;
    expect(e({ ...base, nTeacher: undefined })).toMatch(/^alignment: nTeacher is required/);
    expect(e({ ...base, nTeacher: 3 })).toMatch(/^alignment: nTeacher = 3: must be an integer, >= 1, <= 2/);
    expect(e({ ...base, nTeacher: 0.5 })).toMatch(/^alignment: nTeacher = 0.5/);
    expect(e({ ...base, B: [[1, 2]] })).toMatch(/^alignment: B/);
    expect(e({ ...base, W: [[1, 2]] })).toMatch(/^alignment: W/);
    expect(e({ ...base, U: [[1], [1], [1]] })).toMatch(/^alignment: U/);
    expect(e({ ...base, W: { re: [[1, 0], [0, 1]], im: [[0, 0], [0, 0]] } })).toMatch(/^alignment: W: complex input is not supported/);
    expect(e({ ...base, W: [], U: [], V: [[]] })).toMatch(/^alignment: W is 0×0/);
    expect(e({ ...base, R: [[1]] })).toMatch(/^alignment: unknown field "R"/);
  });
});
