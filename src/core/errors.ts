// Error types: user-facing input errors (name the field, the value and what is allowed) vs internal failures.

/** Base class of every error polelab throws on purpose. */
export class PolelabError extends Error {
  override readonly name: string = 'PolelabError';
}

/**
 * Bad input from a user or caller: a config field, a CLI flag, a JSON request, a function argument.
 * The message always names the field, the value received and what is allowed; the CLI prints it as one
 * line and exits 2, the compute API returns it as `{"error": ...}`.
 */
export class InputError extends PolelabError {
  override readonly name: string = 'InputError';
  /** Dotted path of the offending field ("reservoir.sr", "W", "--seed"). */
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.field = field;
  }
}

/** A shape mismatch between arguments (a special InputError). */
export class ShapeError extends InputError {
  override readonly name: string = 'ShapeError';
}

/** A numerical failure that is not the user's fault (e.g. a non-SPD matrix handed to Cholesky). */
export class NumericalError extends PolelabError {
  override readonly name: string = 'NumericalError';
}

/** Longest rendering of a value in an error message (characters, before "..."). */
const DESC_MAX = 80;
/** Nesting below which arrays and objects render as [...] / {...}. */
const DESC_DEPTH = 8;

/**
 * JSON-like rendering of v that stops once it is longer than DESC_MAX characters or DESC_DEPTH levels deep, so a
 * huge, deeply nested or cyclic value costs O(DESC_MAX·DESC_DEPTH) and never overflows the stack. Equals
 * JSON.stringify for short plain data; typed arrays render as Float64Array(n).
 */
function brief(v: unknown, depth: number): string {
  if (typeof v === 'bigint') return String(v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  if (typeof v !== 'object' || v === null) return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) {
    if (depth >= DESC_DEPTH) return '[...]';
    let s = '[';
    for (let i = 0; i < v.length; i++) {
      s += (i === 0 ? '' : ',') + brief(v[i], depth + 1);
      if (s.length > DESC_MAX) return s;
    }
    return s + ']';
  }
  if (depth >= DESC_DEPTH) return '{...}';
  let s = '{';
  for (const k of Object.keys(v)) {
    const x = (v as Record<string, unknown>)[k];
    if (x === undefined || typeof x === 'function' || typeof x === 'symbol') continue;
    s += (s === '{' ? '' : ',') + JSON.stringify(k) + ':' + brief(x, depth + 1);
    if (s.length > DESC_MAX) return s;
  }
  return s + '}';
}

/** Short JSON-ish rendering of a received value for error messages (truncated; bounded cost for any value). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (typeof v === 'function') return `[function ${v.name || 'anonymous'}]`;
  if (typeof v === 'symbol') return v.toString();
  let s: string;
  try {
    s = brief(v, 0);
  } catch {
    s = Object.prototype.toString.call(v);
  }
  return s.length > DESC_MAX ? s.slice(0, DESC_MAX - 3) + '...' : s;
}

/** Throws an InputError "`<where>`: <field> = <value>: <allowed>". */
export function inputError(where: string, field: string, value: unknown, allowed: string): never {
  throw new InputError(field, `${where}: ${field} = ${describeValue(value)}: ${allowed}`);
}
