import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { computeOpList } from '../src/compute/index.js';
import { PYTHON_EXAMPLE, renderComputeDocs } from '../src/compute/docs.js';

describe('docs/compute.md', () => {
  it('is exactly what the ops\' help renders to (regenerate: npm run build && node scripts/gen-compute-docs.mjs)', () => {
    const committed = readFileSync(new URL('../docs/compute.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderComputeDocs(computeOpList));
  });
  it('documents every op with its request fields', () => {
    for (const op of computeOpList) {
      expect(op.help.length, op.name).toBeGreaterThan(100);
      expect(op.help, op.name).toMatch(/Request|request/);
      expect(op.help, op.name).toMatch(/Answer|answer/);
    }
  });
});

describe('the Python example of docs/compute.md', () => {
  // Runs the documented script against the built CLI (the globalSetup builds dist/) when python3 with numpy is
  // installed; the only change is the command, which points at this checkout instead of an installed package.
  const py = spawnSync('python3', ['-c', 'import numpy'], { encoding: 'utf8' });
  it.skipIf(py.status !== 0)('runs and prints the documented line', () => {
    const cli = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
    const script = PYTHON_EXAMPLE.replace('["npx", "polelab", "compute"]', JSON.stringify([process.execPath, cli, 'compute']));
    expect(script).not.toBe(PYTHON_EXAMPLE);
    const r = spawnSync('python3', ['-c', script], { encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('0.900000 (200, 50)\n');
  });
});
