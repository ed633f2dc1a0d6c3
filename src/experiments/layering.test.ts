// Layering: the experiments sit below the report — no file under src/experiments imports from src/report.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const srcDir = resolve(here, '..');
const reportDir = join(srcDir, 'report');

/** Every .ts file under `dir`, recursively. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Module specifiers of static imports, re-exports (`export ... from`) and dynamic `import('...')` in `text`. */
export function moduleSpecifiers(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:import|export)\s[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** The specifiers of `file` that resolve into src/report/. */
function reportImports(file: string): string[] {
  return moduleSpecifiers(readFileSync(file, 'utf8')).filter((s) => {
    if (!s.startsWith('.')) return false;
    const target = resolve(dirname(file), s);
    return target === reportDir || target.startsWith(reportDir + sep);
  });
}

describe('layering', () => {
  it('finds import, export-from and dynamic import specifiers (the scanner can fail)', () => {
    const text = [
      "import type { A } from '../report/a.js';",
      "import {\n  B,\n  C,\n} from '../../report/b.js';",
      "export { D } from './d.js';",
      "import './side-effect.js';",
      "const m = await import('../report/writer.js');",
    ].join('\n');
    expect(moduleSpecifiers(text)).toEqual(['../report/a.js', '../../report/b.js', './d.js', './side-effect.js', '../report/writer.js']);
  });

  it('no file under src/experiments imports from src/report', () => {
    // this file is skipped: its scanner test above holds report imports as sample text
    const files = tsFiles(here).filter((f) => f !== fileURLToPath(import.meta.url));
    expect(files.length).toBeGreaterThan(5);
    const offending = files.flatMap((f) => reportImports(f).map((s) => `${relative(srcDir, f)}: ${s}`));
    expect(offending).toEqual([]);
  });
});
