// The compute-op contract (JSON in, JSON out) and the runner that turns a request into an answer or {"error"}.
import { PolelabError } from '../core/errors.js';
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
  /**
   * When true, non-finite numbers in the answer are legitimate (e.g. an infinite condition number) and are
   * written as null; by default an answer with NaN or ±Infinity (an overflow) becomes an error naming the field.
   */
  readonly nonFiniteAnswers?: boolean;
  run(req: Req): Record<string, unknown>;
}

/** Path and value of the first non-finite number in a JSON-like answer ("dW[0][1]", "states.re[3][0]"), or null. */
export function firstNonFinite(v: unknown, path = ''): { path: string; value: number } | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : { path, value: v };
  if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const a = v as ArrayLike<unknown>;
    for (let i = 0; i < a.length; i++) {
      const r = firstNonFinite(a[i], `${path}[${i}]`);
      if (r !== null) return r;
    }
    return null;
  }
  if (v !== null && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      const r = firstNonFinite(x, path === '' ? k : `${path}.${k}`);
      if (r !== null) return r;
    }
  }
  return null;
}

/** Result of one request: the answer, or an error string "<op>: <message>". */
export type ComputeResult = Record<string, unknown> | { error: string };

/**
 * Runs one request object against a set of ops. Never throws: bad input and numerical failures become
 * {"error": "<op>: <message>"}; unexpected exceptions are reported the same way with their message. An answer
 * holding NaN or ±Infinity (an overflow, e.g. the rollout of an unstable network) is an error too, unless the
 * op declares `nonFiniteAnswers`.
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
    const answer = op.run(new Req(obj));
    const bad = op.nonFiniteAnswers === true ? null : firstNonFinite(answer);
    if (bad !== null) {
      return {
        result: {
          error: `${name}: the answer is not finite (${bad.path} = ${bad.value}): the computation overflowed ` +
            '(JSON cannot carry NaN or Infinity; for a recurrent network, check the spectral radius of W and the length of x)',
        },
        ok: false,
      };
    }
    return { result: answer, ok: true };
  } catch (e) {
    if (e instanceof PolelabError) {
      // a library message that already starts with the op's name ("eig: ...") is not prefixed twice
      const msg = e.message.startsWith(`${name}: `) ? e.message.slice(name.length + 2) : e.message;
      return { result: { error: `${name}: ${msg}` }, ok: false };
    }
    const msg = e instanceof Error ? e.message : String(e);
    return { result: { error: `${name}: internal error: ${msg}` }, ok: false };
  }
}
