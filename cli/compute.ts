// `polelab compute`: JSON request(s) in, JSON answer(s) out, one answer per request in order; failures in place as {"error"}.
import { InputError, describeValue } from '../src/core/errors.js';
import { runRequest, type ComputeOp, type ComputeResult } from '../src/compute/op.js';

/** Answer text (JSON + newline) and exit code: 0 when every request succeeded, 1 when any gave an error. */
export interface ComputeOutput {
  readonly output: string;
  readonly code: 0 | 1;
}

/**
 * Runs a compute input: one JSON request object, or an array of them (answers in the same order).
 * Malformed JSON raises an InputError (`source` names the input in the message); a request that fails
 * gives {"error": "<op>: <message>"} in its place and exit code 1. Answers are compact JSON; non-finite
 * numbers become null (the codec's convention).
 */
export function runCompute(text: string, ops: ReadonlyMap<string, ComputeOp>, source = 'stdin'): ComputeOutput {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (e) {
    const what = text.trim() === '' ? 'is empty' : `is not valid JSON: ${(e as Error).message.split('\n')[0]}`;
    throw new InputError('input', `compute: input (${source}) ${what}; expected a JSON request object or an array of them`);
  }
  if (Array.isArray(input)) {
    const results: ComputeResult[] = [];
    let ok = true;
    for (const req of input) {
      const r = runRequest(ops, req);
      results.push(r.result);
      ok &&= r.ok;
    }
    return { output: JSON.stringify(results) + '\n', code: ok ? 0 : 1 };
  }
  const r = runRequest(ops, input);
  return { output: JSON.stringify(r.result) + '\n', code: r.ok ? 0 : 1 };
}

/** `compute --help`: usage plus every op with its one-line summary. */
export function computeOpsHelp(ops: ReadonlyMap<string, ComputeOp>): string {
  const names = [...ops.keys()];
  const w = Math.max(0, ...names.map((n) => n.length));
  const list = names.length ? names.map((n) => `  ${n.padEnd(w)}  ${ops.get(n)!.summary}`).join('\n') : '  (no ops registered)';
  return `Usage: polelab compute [--input file.json]
       polelab compute --help [op]

Reads one JSON request {"op": "<name>", ...} or an array of them from stdin (or --input; "-" = stdin)
and writes the answer (an object, or an array in the same order) to stdout as JSON. A request that
fails gives {"error": "<op>: <message>"} in its place and exit code 1; malformed JSON exits 2.
Matrices are nested row-major arrays; complex values are {"re": ..., "im": ...} (docs/compute.md).

Ops:
${list}

Run 'polelab compute --help <op>' for an op's fields and answer.
`;
}

/** `compute --help <op>`: the op's full help; an unknown op is an InputError listing the ops. */
export function computeOpHelp(ops: ReadonlyMap<string, ComputeOp>, name: string): string {
  const op = ops.get(name);
  if (op === undefined) {
    throw new InputError('op', `compute: unknown op ${describeValue(name)}; available ops: ${[...ops.keys()].join(', ') || '(none)'}`);
  }
  return `${op.name} — ${op.summary}\n\n${op.help.trimEnd()}\n`;
}
