// Renders the compute API reference (docs/compute.md) from the ops' own help text, so docs and code cannot drift.
import type { ComputeOp } from './op.js';

/** Markdown reference of `polelab compute`: conventions, then one section per op (its full help). */
export function renderComputeDocs(ops: ReadonlyArray<ComputeOp>): string {
  const lines = [
    '# The JSON compute API (`polelab compute`)',
    '',
    '<!-- Generated from the ops\' help text by scripts/gen-compute-docs.mjs; do not edit by hand. -->',
    '',
    '`polelab compute` reads one JSON request object, or an array of them, from stdin (or `--input file`) and',
    'writes the answers (an object or an array in the same order) to stdout. Every request names its `op`.',
    '',
    '## Conventions',
    '',
    '- Real matrices are nested arrays, row-major: `[[row 1], [row 2], ...]`. Vectors are flat arrays.',
    '- Complex arrays are `{"re": <nested or flat>, "im": <same shape>}`; a request with any complex matrix is',
    '  handled in complex arithmetic (real inputs are promoted).',
    '- A request that fails gives `{"error": "<op>: <message>"}` in its place (the message names the field, the',
    '  value and what is allowed) and the process exits 1; malformed JSON exits 2 with one line on stderr.',
    '- Unknown fields are errors (a typo is never silently ignored).',
    '- JSON has no NaN or Infinity: an answer that overflows (e.g. the rollout of an unstable network over a long x) is an error ' +
      'naming the first non-finite field, never a silent `null`. Ops whose answers can be legitimately infinite (a ' +
      'condition number) say so in their help and write those values as `null`.',
    '- Complex gradients are ∂L/∂Re θ + i·∂L/∂Im θ; the error sign is e = target − prediction; updates are added.',
    '',
    '## Ops',
    '',
    '| op | what it computes |',
    '|---|---|',
    ...ops.map((op) => `| [\`${op.name}\`](#${op.name}) | ${op.summary.replace(/\|/g, '\\|')} |`),
    '',
  ];
  for (const op of ops) {
    lines.push(`### ${op.name}`, '', '```text', op.help.trim(), '```', '');
  }
  return lines.join('\n');
}
