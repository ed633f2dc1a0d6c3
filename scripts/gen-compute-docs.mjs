// Writes docs/compute.md from the compute ops' own help text (run after a build: node scripts/gen-compute-docs.mjs).
// test/compute-docs.test.ts fails when the committed file differs from what this script would write.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { computeOpList } = await import(join(root, 'dist', 'src', 'compute', 'index.js'));
const { renderComputeDocs } = await import(join(root, 'dist', 'src', 'compute', 'docs.js'));
writeFileSync(join(root, 'docs', 'compute.md'), renderComputeDocs(computeOpList));
console.log(`docs/compute.md: ${computeOpList.length} ops`);
