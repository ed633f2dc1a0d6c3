// Layering of the theory layer: learning/ never imports theory/, and theory/ imports only the layers below it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Relative import specifiers of the non-test modules of a src/ folder, as [file, specifier]. */
function imports(folder: string): [string, string][] {
  const out: [string, string][] = [];
  for (const f of readdirSync(join(SRC, folder))) {
    if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue;
    const text = readFileSync(join(SRC, folder, f), 'utf8');
    for (const m of text.matchAll(/\bfrom\s+'(\.[^']*)'/g)) out.push([f, m[1]!]);
  }
  return out;
}

describe('theory layering', () => {
  it('src/learning (non-test modules) does not import from src/theory', () => {
    const bad = imports('learning').filter(([, s]) => s.startsWith('../theory/'));
    expect(bad).toEqual([]);
  });

  it('src/theory imports only from core, linalg, models, learning and the compute backends (kernels, backend)', () => {
    const allowed = new Set(['core', 'linalg', 'models', 'learning', 'kernels', 'backend']);
    const seen = imports('theory');
    expect(seen.length).toBeGreaterThan(0); // the scan found the modules (a wrong path would pass vacuously)
    const bad = seen.filter(([, s]) => !s.startsWith('./') && !allowed.has(s.split('/')[1] ?? ''));
    expect(bad).toEqual([]);
  });
});
