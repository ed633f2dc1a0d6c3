// The compute-op contract (JSON in, JSON out) and the runner that turns a request into an answer or {"error"}.
import { InputError, PolelabError } from '../core/errors.js';
import { Req } from './codec.js';

/**
 * One operation of `polelab compute`. `run` reads its fields through `req` (which validates and names
 * bad fields), must call `req.assertNoUnknown()` after reading, and returns a JSON-serialisable answer.
 */
export interface ComputeOp {
  /** Op name on the wire: "rollout", "eigh", ... (a contract). */
  readonly name: string;
  /** One line for `polelab compute --help`. */
  readonly summary: string;
  /** Full help: request fields with shapes and defaults, answer fields, conventions and documented choices. */
  readonly help: string;
  run(req: Req): Record<string, unknown>;
}

/** Result of one request: the answer, or an error string "<op>: <message>". */
export type ComputeResult = Record<string, unknown> | { error: string };

/**
 * Runs one request object against a set of ops. Never throws: bad input and numerical failures become
 * {"error": "<op>: <message>"}; unexpected exceptions are reported the same way with their message.
 */
export function runRequest(ops: ReadonlyMap<string, ComputeOp>, request: unknown): { result: ComputeResult; ok: boolean } {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return { result: { error: `request: expected a JSON object with an "op" field, got ${Array.isArray(request) ? 'an array' : JSON.stringify(request)}` }, ok: false };
  }
  const obj = request as Record<string, unknown>;
  const name = obj['op'];
  if (typeof name !== 'string') {
    return { result: { error: `request: op = ${JSON.stringify(name)}: must be one of ${[...ops.keys()].join(', ')}` }, ok: false };
  }
  const op = ops.get(name);
  if (op === undefined) {
    return { result: { error: `${name}: unknown op; available ops: ${[...ops.keys()].join(', ')}` }, ok: false };
  }
  try {
    return { result: op.run(new Req(obj)), ok: true };
  } catch (e) {
    if (e instanceof InputError || e instanceof PolelabError) return { result: { error: `${name}: ${e.message}` }, ok: false };
    const msg = e instanceof Error ? e.message : String(e);
    return { result: { error: `${name}: internal error: ${msg}` }, ok: false };
  }
}
