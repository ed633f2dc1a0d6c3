// JSON codec of the compute API: typed, validated reads of request fields and encoding of answers.
//
// Wire conventions (docs/compute.md): real matrices are nested arrays, row-major ([[row 1], [row 2], ...]);
// complex arrays are {"re": <nested>, "im": <nested>} of equal shape; vectors are flat arrays.
import { InputError, PolelabError, describeValue } from '../core/errors.js';
import { cmat, isCMat, mat, type AnyMat, type CMat, type CVec, type Mat } from '../core/types.js';

type Json = unknown;

function isObj(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(field: string, value: Json, allowed: string): never {
  throw new InputError(field, `${field} = ${describeValue(value)}: ${allowed}`);
}

/**
 * Largest array (count of numbers) an op may derive from a request — an answer or a working array such as the
 * T×N states or an N×N Gram matrix: 2^24 ≈ 1.7e7 (128 MiB; as JSON about 350 MB of text, below V8's string
 * limit). A small request can imply far more (x with 10⁶ rows and a 1000×1000 W gives 10⁹ states), which would
 * exhaust memory; such requests are refused naming the field that sets the size.
 */
export const MAX_DERIVED_NUMBERS = 2 ** 24;

/** Throws an InputError on `field` when `what` (count numbers) exceeds {@link MAX_DERIVED_NUMBERS}. */
export function checkSize(field: string, count: number, what: string): void {
  if (count > MAX_DERIVED_NUMBERS) {
    throw new InputError(field, `${field}: ${what} would hold ${count} numbers: at most 2^24 = ${MAX_DERIVED_NUMBERS} per request; split the request`);
  }
}

/** Options for matrix fields. */
export interface MatOpts {
  /** Required row count (checked). */
  readonly rows?: number;
  /** Required column count (checked). */
  readonly cols?: number;
  /** How a flat array is read: as a column (T×1), a row (1×n), or refused (default). */
  readonly flat?: 'column' | 'row' | 'error';
  /** Require a square matrix. */
  readonly square?: boolean;
}

function parseRealNested(field: string, v: Json, opts: MatOpts): Mat {
  if (!Array.isArray(v)) fail(field, v, 'expected a nested array of numbers (row-major) or {"re": ..., "im": ...}');
  if (v.length > 0 && !Array.isArray(v[0])) {
    if (opts.flat === 'column' || opts.flat === 'row') {
      const d = new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, x, 'expected a finite number');
        d[i] = x;
      }
      return opts.flat === 'column' ? mat(v.length, 1, d) : mat(1, v.length, d);
    }
    fail(field, v, 'expected a nested array (a matrix, row-major), got a flat array');
  }
  const rows = v.length;
  const cols = rows === 0 ? 0 : (v[0] as Json[]).length;
  const m = mat(rows, cols);
  for (let i = 0; i < rows; i++) {
    const row = v[i];
    if (!Array.isArray(row)) fail(`${field}[${i}]`, row, 'expected an array (a matrix row)');
    if (row.length !== cols) fail(`${field}[${i}]`, row, `row has length ${row.length}, expected ${cols} (rows must have equal length)`);
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}][${j}]`, x, 'expected a finite number');
      m.data[i * cols + j] = x;
    }
  }
  return m;
}

function checkShape(field: string, m: AnyMat, opts: MatOpts): void {
  if (opts.rows !== undefined && m.rows !== opts.rows) {
    throw new InputError(field, `${field} has shape ${m.rows}×${m.cols}: expected ${opts.rows} rows`);
  }
  if (opts.cols !== undefined && m.cols !== opts.cols) {
    throw new InputError(field, `${field} has shape ${m.rows}×${m.cols}: expected ${opts.cols} columns`);
  }
  if (opts.square && m.rows !== m.cols) throw new InputError(field, `${field} has shape ${m.rows}×${m.cols}: expected a square matrix`);
}

function parseVecNumbers(field: string, v: Json): Float64Array {
  if (!Array.isArray(v)) fail(field, v, 'expected a flat array of numbers');
  const d = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) fail(`${field}[${i}]`, x, 'expected a finite number');
    d[i] = x;
  }
  return d;
}

/**
 * A request object with typed accessors. Every accessor throws an InputError naming the field, the value
 * and what is allowed; the compute runner prefixes the op name.
 */
export class Req {
  readonly op: string;
  private readonly obj: Record<string, Json>;
  private readonly used = new Set<string>(['op']);

  constructor(obj: Record<string, Json>) {
    this.obj = obj;
    this.op = String(obj['op']);
  }

  /** True when the field is present (not undefined or null). */
  has(field: string): boolean {
    const v = this.obj[field];
    return v !== undefined && v !== null;
  }

  /** Raw field value (marks it as used). */
  raw(field: string): Json {
    this.used.add(field);
    return this.obj[field];
  }

  private need(field: string): Json {
    this.used.add(field);
    const v = this.obj[field];
    if (v === undefined || v === null) throw new InputError(field, `${field} is required`);
    return v;
  }

  /** Real or complex matrix. */
  anyMat(field: string, opts: MatOpts = {}): AnyMat {
    const v = this.need(field);
    let m: AnyMat;
    if (isObj(v)) {
      if (!('re' in v) || !('im' in v)) fail(field, v, 'a complex matrix must be {"re": [[...]], "im": [[...]]}');
      const re = parseRealNested(`${field}.re`, v['re'], opts);
      const im = parseRealNested(`${field}.im`, v['im'], opts);
      if (re.rows !== im.rows || re.cols !== im.cols) {
        throw new InputError(field, `${field}: re is ${re.rows}×${re.cols} but im is ${im.rows}×${im.cols}; they must have equal shape`);
      }
      m = cmat(re.rows, re.cols, re.data, im.data);
    } else {
      m = parseRealNested(field, v, opts);
    }
    checkShape(field, m, opts);
    return m;
  }

  /** Optional real or complex matrix (undefined when absent). */
  optAnyMat(field: string, opts: MatOpts = {}): AnyMat | undefined {
    return this.has(field) ? this.anyMat(field, opts) : (this.used.add(field), undefined);
  }

  /** Real matrix (complex input is refused). */
  realMat(field: string, opts: MatOpts = {}): Mat {
    const m = this.anyMat(field, opts);
    if (isCMat(m)) throw new InputError(field, `${field}: complex input is not supported here; expected a real nested array`);
    return m;
  }

  /** Optional real matrix. */
  optRealMat(field: string, opts: MatOpts = {}): Mat | undefined {
    return this.has(field) ? this.realMat(field, opts) : (this.used.add(field), undefined);
  }

  /** Real or complex flat vector: [..] or {"re": [..], "im": [..]}. */
  anyVec(field: string, length?: number): Float64Array | CVec {
    const v = this.need(field);
    let out: Float64Array | CVec;
    if (isObj(v)) {
      if (!('re' in v) || !('im' in v)) fail(field, v, 'a complex vector must be {"re": [...], "im": [...]}');
      const re = parseVecNumbers(`${field}.re`, v['re']);
      const im = parseVecNumbers(`${field}.im`, v['im']);
      if (re.length !== im.length) throw new InputError(field, `${field}: re has length ${re.length} but im has ${im.length}`);
      out = { re, im };
    } else {
      out = parseVecNumbers(field, v);
    }
    const len = out instanceof Float64Array ? out.length : out.re.length;
    if (length !== undefined && len !== length) throw new InputError(field, `${field} has length ${len}: expected ${length}`);
    return out;
  }

  /** Real flat vector. */
  realVec(field: string, length?: number): Float64Array {
    const v = this.anyVec(field, length);
    if (!(v instanceof Float64Array)) throw new InputError(field, `${field}: complex input is not supported here; expected a flat array of numbers`);
    return v;
  }

  /** Number with default and range checks. */
  num(field: string, o: { default?: number; min?: number; max?: number; minExclusive?: number; maxExclusive?: number; integer?: boolean } = {}): number {
    this.used.add(field);
    const v = this.obj[field];
    if (v === undefined || v === null) {
      if (o.default !== undefined) return o.default;
      throw new InputError(field, `${field} is required`);
    }
    const parts: string[] = [];
    if (o.integer) parts.push('an integer');
    if (o.min !== undefined) parts.push(`>= ${o.min}`);
    if (o.minExclusive !== undefined) parts.push(`> ${o.minExclusive}`);
    if (o.max !== undefined) parts.push(`<= ${o.max}`);
    if (o.maxExclusive !== undefined) parts.push(`< ${o.maxExclusive}`);
    const allowed = `must be ${parts.length ? parts.join(', ') : 'a finite number'}`;
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(field, v, allowed);
    if ((o.integer && !Number.isInteger(v)) || (o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max) ||
      (o.minExclusive !== undefined && v <= o.minExclusive) || (o.maxExclusive !== undefined && v >= o.maxExclusive)) fail(field, v, allowed);
    return v;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(field: string, allowed: readonly T[], dflt?: T): T {
    this.used.add(field);
    const v = this.obj[field];
    if (v === undefined || v === null) {
      if (dflt !== undefined) return dflt;
      throw new InputError(field, `${field} is required: one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      fail(field, v, `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`);
    }
    return v as T;
  }

  /** Boolean with default. */
  bool(field: string, dflt: boolean): boolean {
    this.used.add(field);
    const v = this.obj[field];
    if (v === undefined || v === null) return dflt;
    if (typeof v !== 'boolean') fail(field, v, 'must be true or false');
    return v;
  }

  /** Nested object field (e.g. a teacher {W, U, V}) as its own Req, with field names prefixed. */
  sub(field: string): Req {
    const v = this.need(field);
    if (!isObj(v)) fail(field, v, 'expected an object');
    return new PrefixedReq({ ...v, op: this.op }, field);
  }

  /** Throws when the request has fields no accessor read (catches typos such as "lamda"). */
  assertNoUnknown(): void {
    for (const k of Object.keys(this.obj)) {
      if (!this.used.has(k)) throw new InputError(k, `unknown field "${k}"; this op reads: ${[...this.used].filter((u) => u !== 'op').join(', ')}`);
    }
  }
}

/** A Req whose error messages name fields as "<prefix>.<field>". */
class PrefixedReq extends Req {
  private readonly prefix: string;
  constructor(obj: Record<string, Json>, prefix: string) {
    super(obj);
    this.prefix = prefix;
  }
  private wrap<T>(f: () => T): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`${this.prefix}.${e.field}`, `${this.prefix}.${e.message}`);
      throw e;
    }
  }
  override anyMat(field: string, opts: MatOpts = {}): AnyMat {
    return this.wrap(() => super.anyMat(field, opts));
  }
  override anyVec(field: string, length?: number): Float64Array | CVec {
    return this.wrap(() => super.anyVec(field, length));
  }
  override num(field: string, o: Parameters<Req['num']>[1] = {}): number {
    return this.wrap(() => super.num(field, o));
  }
  override oneOf<T extends string>(field: string, allowed: readonly T[], dflt?: T): T {
    return this.wrap(() => super.oneOf(field, allowed, dflt));
  }
  override bool(field: string, dflt: boolean): boolean {
    return this.wrap(() => super.bool(field, dflt));
  }
  override assertNoUnknown(): void {
    try {
      super.assertNoUnknown();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      // 'unknown field "b"; this op reads: W, U, V' → 'teacher: unknown field "b" (teacher.b); teacher reads: W, U, V'
      const f = `${this.prefix}.${e.field}`;
      throw new InputError(f, `${this.prefix}: ${e.message.replace(/^(unknown field "[^"]*")/, `$1 (${f})`).replace('; this op reads:', `; ${this.prefix} reads:`)}`);
    }
  }
}

// Answers keep non-finite numbers as they are: runRequest (op.ts) turns an answer holding one into an error
// naming its field, unless the op declares nonFiniteAnswers, in which case JSON.stringify writes them as null.

/** True when any of the decoded values (matrix or vector; undefined = absent) is complex: the ops then promote real inputs. */
export function anyComplex(...xs: ReadonlyArray<AnyMat | Float64Array | CVec | undefined>): boolean {
  return xs.some((x) => x !== undefined && !(x instanceof Float64Array) && 're' in x);
}

/** Real matrix → nested rows. */
export function encodeMat(m: Mat): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) {
    const row: number[] = new Array(m.cols);
    for (let j = 0; j < m.cols; j++) row[j] = m.data[i * m.cols + j]!;
    out.push(row);
  }
  return out;
}

/** Complex matrix → {re: nested, im: nested}. */
export function encodeCMat(m: CMat): { re: number[][]; im: number[][] } {
  return { re: encodeMat(mat(m.rows, m.cols, m.re)), im: encodeMat(mat(m.rows, m.cols, m.im)) };
}

/** Real or complex matrix → its wire form. */
export function encodeAnyMat(m: AnyMat): unknown {
  return isCMat(m) ? encodeCMat(m) : encodeMat(m);
}

/** Real vector → flat array. */
export function encodeVec(v: ArrayLike<number>): number[] {
  return Array.from(v);
}

/** Complex vector → {re: [...], im: [...]}. */
export function encodeCVec(v: CVec): { re: number[]; im: number[] } {
  return { re: encodeVec(v.re), im: encodeVec(v.im) };
}

/**
 * Runs a library call for an op, removing the library's own "<function>: " prefix (matched by `where`) from a
 * PolelabError's message, since the runner prefixes "<op>: " itself.
 */
export function withoutPrefix<T>(where: RegExp, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PolelabError) e.message = e.message.replace(where, '');
    throw e;
  }
}
