// vitest globalSetup: builds dist/ once per test run (node scripts/build.mjs --if-stale) so spawn tests of dist/cli/main.js see fresh code.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Outcome of the build: ok, and the build's output when it failed. */
    polelabBuild: { ok: boolean; output: string };
  }
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Runs the build once. A failing build does not abort the whole suite (unit tests import sources, not
 * dist/); it is handed to the spawn tests via inject('polelabBuild'), which fail with the build output.
 */
export default function setup(project: TestProject): void {
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--if-stale'], { cwd: root, encoding: 'utf8' });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  project.provide('polelabBuild', { ok: r.status === 0, output: output.slice(-4000) });
}
