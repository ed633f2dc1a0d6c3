// Where the pool finds its code: the polelab package root, the built worker script under dist/, task modules as import() URLs.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PolelabError } from '../src/core/errors.js';
import type { TaskFn } from './pool.js';

/** The polelab package directory (holds package.json), found by walking up from this file (cli/ or dist/cli/). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if ((JSON.parse(readFileSync(p, 'utf8')) as { name?: string }).name === 'polelab') return dir;
      } catch {
        // an unreadable package.json is not ours; keep walking up
      }
    }
    dir = dirname(dir);
  }
  throw new PolelabError(`pool: cannot find the polelab package directory above ${fileURLToPath(import.meta.url)}`);
}

/**
 * Path of `rel` inside the built package (`<root>/dist/<rel>`); throws a PolelabError that says how to
 * build when the file is missing. Workers always run built JavaScript, also when the caller runs the
 * TypeScript sources (vitest), so dist/ must exist and be current.
 */
export function distFile(rel: string, root = packageRoot()): string {
  const p = join(root, 'dist', ...rel.split('/'));
  if (!existsSync(p)) {
    throw new PolelabError(`pool: ${p} not found: worker threads run the built JavaScript in dist/; build it with 'npm run build' (or run in this process with --workers 0)`);
  }
  return p;
}

/** The worker entry script, `<root>/dist/cli/pool-worker.js` (PolelabError when it is not built). */
export function workerScriptPath(root = packageRoot()): string {
  return distFile('cli/pool-worker.js', root);
}

/** A module reference as the URL text `import()` takes: file paths become file:// URLs. */
export function moduleHref(m: string | URL): string {
  if (m instanceof URL) return m.href;
  if (/^(file|data|node):/.test(m)) return m;
  return pathToFileURL(isAbsolute(m) ? m : resolve(m)).href;
}

export function errorText(e: unknown): { error: string; stack?: string } {
  if (e instanceof Error) return { error: e.message || e.name, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
  return { error: String(e) };
}

/** Loads a task's module and function (shared by the in-process mode and pool-worker.ts). */
export async function loadTaskFn(module: string, fn: string): Promise<TaskFn> {
  const mod = (await import(module)) as Record<string, unknown>;
  const f = mod[fn];
  if (typeof f !== 'function') throw new PolelabError(`pool: module ${module} has no exported function "${fn}"`);
  return f as TaskFn;
}
