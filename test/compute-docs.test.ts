import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { computeOpList } from '../src/compute/index.js';
import { renderComputeDocs } from '../src/compute/docs.js';

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
