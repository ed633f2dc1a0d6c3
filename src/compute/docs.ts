// Renders the compute API reference (docs/compute.md) from the ops' own help text, so docs and code cannot drift.
import type { ComputeOp } from './op.js';

/** The Python example of the reference (a complete script; the docs test runs it against the built CLI). */
export const PYTHON_EXAMPLE = `import json, subprocess
import numpy as np

POLELAB = ["npx", "polelab", "compute"]   # from a project where polelab is installed

def polelab(*requests):
    out = subprocess.run(POLELAB, input=json.dumps(list(requests)), capture_output=True, text=True)
    if out.returncode == 2:                  # malformed input: one line on stderr
        raise ValueError(out.stderr.strip())
    answers = json.loads(out.stdout)
    for a in answers:
        if "error" in a:
            raise ValueError(a["error"])
    return answers

def cplx(z):                                 # {"re": ..., "im": ...} -> complex ndarray
    return np.asarray(z["re"]) + 1j * np.asarray(z["im"])

rng = np.random.default_rng(0)
W = rng.normal(size=(50, 50)) / np.sqrt(50)
W *= 0.9 / np.max(np.abs(np.linalg.eigvals(W)))          # spectral radius 0.9
x = rng.normal(size=(200, 2))
eig, run = polelab({"op": "eig", "A": W.tolist()},
                   {"op": "rollout", "W": W.tolist(), "U": np.ones((50, 2)).tolist(), "x": x.tolist()})
poles = cplx(eig["values"])                 # sorted by decreasing modulus
H = np.asarray(run["states"])               # 200 x 50, row t-1 = h_t
print(f"{abs(poles[0]):.6f} {H.shape}")     # 0.900000 (200, 50)`;

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
    '## From Python (or any language that can start a process)',
    '',
    'Send all requests of a step as one array: the process starts once (about 0.3 s with node, 0.7 s through npx) and answers them in order.',
    'This helper raises on a failed request; test/compute-docs.test.ts runs it.',
    '',
    '```python',
    PYTHON_EXAMPLE,
    '```',
    '',
    'From Julia the same works with ``read(pipeline(`npx polelab compute`, stdin=IOBuffer(JSON3.write(reqs))), String)``.',
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
