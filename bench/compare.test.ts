// Exercises the comparison harness end to end on one small workload: the C and numpy references run when gcc /
// python3 with numpy exist (else their skip notes are expected), ratios are polelab / reference, and a machine
// without the tools gets notes rather than an exception.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { formatComparison, runComparison } from './compare.js';

const has = (cmd: string, args: string[]): boolean => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;

describe('runComparison', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('measures harvest_linear_N32 with each available reference and divides polelab by it', async () => {
    const polelab = 0.0125;
    const result = await runComparison({ harvest_linear_N32: polelab }, { workloads: ['harvest_linear_N32'] });
    expect(result.rows.map((r) => r.workload)).toEqual(['harvest_linear_N32']);
    const row = result.rows[0]!;
    expect(row.polelab).toBe(polelab);
    const tools = { c: has('gcc', ['--version']), numpy: has('python3', ['-c', 'import numpy']) };
    for (const key of ['c', 'numpy'] as const) {
      const t = row[key];
      if (tools[key]) {
        expect(t !== null && Number.isFinite(t) && t > 0, `${key} time ${t}`).toBe(true);
        expect(row.ratios[key]).toBe(polelab / t!);
      } else {
        expect(t).toBeNull();
        expect(result.notes.some((n) => n.startsWith(key === 'c' ? 'C reference skipped' : 'numpy reference skipped'))).toBe(true);
      }
    }
    expect(formatComparison(result)).toContain(`| harvest_linear_N32 | 12.5 ms |`);
  });

  it('reports missing tools as notes and keeps the polelab column', async () => {
    process.env.PATH = '/nonexistent';
    const result = await runComparison({ rls_N128: 0.1 }, { workloads: ['rls'] });
    expect(result.rows).toEqual([{ workload: 'rls_N128', polelab: 0.1, c: null, numpy: null, ratios: { c: null, numpy: null } }]);
    expect(result.notes).toEqual(['C reference skipped: gcc not found on PATH', 'numpy reference skipped: python3 not found on PATH']);
  });
});
