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

/** Short JSON-ish rendering of a received value for error messages (truncated). */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? v.slice(0, 57) + '...' : v);
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as unknown as ArrayLike<number>).length})`;
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + '...' : s;
}

/** Throws an InputError "`<where>`: <field> = <value>: <allowed>". */
export function inputError(where: string, field: string, value: unknown, allowed: string): never {
  throw new InputError(field, `${where}: ${field} = ${describeValue(value)}: ${allowed}`);
}
