// For tests that spawn dist/ (the CLI binary, pool workers, the browser page): makes sure the build is there and fresh.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Throws with the build output unless dist/ is built. The vitest globalSetup (test/global-setup.ts) builds once
 * per run and provides the outcome; a single-file run without it builds here (`scripts/build.mjs --if-stale`).
 * Call from beforeAll.
 */
export function requireBuild(): void {
  let build = inject('polelabBuild') as { ok: boolean; output: string } | undefined;
  if (build === undefined) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, encoding: 'utf8' });
    build = { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  }
  if (!build.ok) throw new Error(`build failed:\n${build.output}`);
}
