// End-to-end tests of the built binary: spawns `node dist/cli/main.js` (built by test/global-setup.ts).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../test/build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));

function polelab(args: string[], input?: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', input: input ?? '', env: { ...process.env, POLELAB_DEBUG: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(requireBuild);

describe('dist/cli/main.js', () => {
  it('starts with a node shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('--version prints the package version and exits 0', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    const r = polelab(['--version']);
    expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  it('an unknown POLELAB_BACKEND is a usage error of the command (exit 2), not an error per request', () => {
    const r = polelab(['compute'], '{"op": "spectral-radius", "A": [[2]]}', { POLELAB_BACKEND: 'gpu' });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'polelab: POLELAB_BACKEND = "gpu": unknown backend; available: js, wasm\n' });
    expect(polelab(['compute'], '{"op": "spectral-radius", "A": [[2]]}', { POLELAB_BACKEND: 'js' })).toEqual({ code: 0, stdout: '{"value":2}\n', stderr: '' });
  });

  it('a user error exits 2 with one line on stderr and no stack', () => {
    const r = polelab(['run', 'no/such-experiment']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^polelab: unknown experiment id "no\/such-experiment"; known ids: [^\n]*\n$/);
  });

  it('compute: malformed JSON on stdin exits 2; a bad request exits 1 with the error in place', () => {
    const bad = polelab(['compute'], '{"op": ');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^polelab: compute: input \(stdin\) is not valid JSON: [^\n]*\n$/);
    const unknown = polelab(['compute'], '[{"op": "no-such-op"}]');
    expect(unknown.code).toBe(1);
    const answer = JSON.parse(unknown.stdout) as Array<{ error: string }>;
    expect(answer).toHaveLength(1);
    expect(answer[0]!.error).toMatch(/^no-such-op: unknown op; available ops: /);
  });
});
