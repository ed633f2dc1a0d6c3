// Build script: compiles TypeScript (src, cli, bench) to dist/. With --if-stale it does nothing
// when dist/ is newer than every source file, so `npm start` and `npm run bench` rebuild only when needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');

function newestMtime(dir) {
  let newest = 0;
  if (!existsSync(dir)) return newest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  const sources = Math.max(
    ...['src', 'cli', 'bench', 'asm'].map((d) => newestMtime(join(root, d))),
    ...['package.json', 'tsconfig.json', 'tsconfig.build.json'].map((f) => (existsSync(join(root, f)) ? statSync(join(root, f)).mtimeMs : 0)),
  );
  return sources > built;
}

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);

const steps = [];
if (existsSync(join(root, 'scripts', 'build-wasm.mjs'))) steps.push([process.execPath, [join(root, 'scripts', 'build-wasm.mjs')]]);
steps.push([process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')]]);

for (const [cmd, args] of steps) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`build: '${args.map((a) => a.replace(root + '/', '')).join(' ')}' failed (exit ${r.status})`);
    process.exit(r.status ?? 1);
  }
}
writeFileSync(stamp, new Date().toISOString() + '\n');
