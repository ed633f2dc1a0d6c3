// Structural argument checks for public functions: the argument is an object, a Mat/CMat, a Float64Array, an Rng.
//
// These run once at the API edge (never inside loops) so that a wrong argument gives an InputError naming it
// instead of a TypeError from deep inside. They do not inspect entries; functions that need finite entries use
// linalg/checks.ts checkMatrix.
import { InputError, ShapeError, describeValue } from './errors.js';
import type { AnyMat } from './types.js';

/** True for a non-null, non-array object. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Throws InputError unless `v` is a non-null, non-array object (`what` describes the expected content). */
export function checkObject(where: string, name: string, v: unknown, what = 'an object'): asserts v is Record<string, unknown> {
  if (!isPlainObject(v)) throw new InputError(name, `${where}: ${name} = ${describeValue(v)}: must be ${what}`);
}

/** Throws InputError unless `v` is an options object or undefined. */
export function checkOptional(where: string, name: string, v: unknown): void {
  if (v !== undefined) checkObject(where, name, v, 'an object or omitted');
}

/** Throws InputError unless `v` is a Float64Array (of length `len` when given: ShapeError otherwise). */
export function checkF64(where: string, name: string, v: unknown, len?: number): asserts v is Float64Array {
  if (!(v instanceof Float64Array)) throw new InputError(name, `${where}: ${name} = ${describeValue(v)}: must be a Float64Array`);
  if (len !== undefined && v.length !== len) throw new ShapeError(name, `${where}: ${name} has length ${v.length}: expected ${len}`);
}

/**
 * Throws unless `m` is a structurally valid Mat {rows, cols, data} or CMat {rows, cols, re, im}: integer sizes and
 * Float64Array storage of length rows·cols (entries are not inspected). `kind` restricts to real or complex.
 */
export function checkMatShape(where: string, name: string, m: unknown, kind: 'any' | 'real' | 'complex' = 'any'): asserts m is AnyMat {
  const what = kind === 'real' ? 'a real Mat {rows, cols, data}' : kind === 'complex' ? 'a complex CMat {rows, cols, re, im}' : 'a Mat {rows, cols, data} or CMat {rows, cols, re, im}';
  if (!isPlainObject(m)) throw new InputError(name, `${where}: ${name} = ${describeValue(m)}: must be ${what}`);
  const { rows, cols } = m;
  if (typeof rows !== 'number' || typeof cols !== 'number' || !Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new ShapeError(name, `${where}: ${name} has rows = ${describeValue(rows)}, cols = ${describeValue(cols)}: both must be integers >= 0`);
  }
  const complex = m['re'] !== undefined || m['im'] !== undefined;
  if (kind === 'real' && complex) throw new InputError(name, `${where}: ${name} is complex: must be ${what}`);
  if (kind === 'complex' && !complex) throw new InputError(name, `${where}: ${name} is real: must be ${what}`);
  for (const f of complex ? ['re', 'im'] : ['data']) {
    const a = m[f];
    if (!(a instanceof Float64Array)) throw new InputError(`${name}.${f}`, `${where}: ${name}.${f} = ${describeValue(a)}: must be a Float64Array`);
    if (a.length !== rows * cols) {
      throw new ShapeError(`${name}.${f}`, `${where}: ${name} is ${rows}×${cols} but ${name}.${f} has length ${a.length}: expected rows·cols = ${rows * cols}`);
    }
  }
}

/** Throws InputError unless `r` looks like an Rng (createRng(seed) or rng.child(label)). */
export function checkRng(where: string, name: string, r: unknown): void {
  const o = r as { child?: unknown; normal?: unknown; uniform?: unknown } | null;
  if (typeof o !== 'object' || o === null || typeof o.child !== 'function' || typeof o.normal !== 'function' || typeof o.uniform !== 'function') {
    throw new InputError(name, `${where}: ${name} = ${describeValue(r)}: must be an Rng (createRng(seed))`);
  }
}

/** Throws InputError unless `l` is a record of Float64Array leaves (optimiser parameters or gradients). */
export function checkLeaves(where: string, name: string, l: unknown): asserts l is Record<string, Float64Array> {
  checkObject(where, name, l, 'a record of Float64Array leaves');
  for (const [k, v] of Object.entries(l)) {
    if (!(v instanceof Float64Array)) throw new InputError(`${name}.${k}`, `${where}: ${name}.${k} = ${describeValue(v)}: must be a Float64Array`);
  }
}

/** Throws InputError unless `n` is an integer in [min, max]. */
export function checkInt(where: string, name: string, n: unknown, min: number, max = Number.MAX_SAFE_INTEGER): asserts n is number {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InputError(name, `${where}: ${name} = ${describeValue(n)}: must be an integer ${range}`);
  }
}

/**
 * Throws unless `p` is an object {W, U, V} of structurally valid matrices with W N×N, U N×I, V O×N (`name` prefixes
 * the block names in messages, e.g. "teacher."). `kind` 'real' refuses complex blocks.
 */
export function checkParams(where: string, p: unknown, prefix = '', kind: 'any' | 'real' = 'any'): void {
  checkObject(where, prefix === '' ? 'params' : prefix.slice(0, -1), p, 'an object {W, U, V} of matrices');
  for (const b of ['W', 'U', 'V'] as const) {
    if (p[b] === undefined) throw new InputError(`${prefix}${b}`, `${where}: ${prefix}${b} is required`);
    checkMatShape(where, `${prefix}${b}`, p[b], kind);
  }
  const W = p['W'] as AnyMat, U = p['U'] as AnyMat, V = p['V'] as AnyMat;
  if (W.rows !== W.cols) throw new ShapeError(`${prefix}W`, `${where}: ${prefix}W is ${W.rows}×${W.cols}, expected a square N×N matrix`);
  if (U.rows !== W.rows) throw new ShapeError(`${prefix}U`, `${where}: ${prefix}U is ${U.rows}×${U.cols}, expected ${W.rows} rows (W is ${W.rows}×${W.rows})`);
  if (V.cols !== W.rows) throw new ShapeError(`${prefix}V`, `${where}: ${prefix}V is ${V.rows}×${V.cols}, expected ${W.rows} columns (W is ${W.rows}×${W.rows})`);
}

/** Throws unless `x` is a structurally valid real or complex sequence batch {batch, steps, dim, data | re, im}. */
export function checkBatch(where: string, name: string, x: unknown): void {
  checkObject(where, name, x, 'a sequence batch {batch, steps, dim, data} or {batch, steps, dim, re, im}');
  const { batch, steps, dim } = x;
  for (const [f, v] of [['batch', batch], ['steps', steps], ['dim', dim]] as const) {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new ShapeError(`${name}.${f}`, `${where}: ${name}.${f} = ${describeValue(v)}: must be an integer >= 0`);
  }
  const len = (batch as number) * (steps as number) * (dim as number);
  for (const f of x['re'] !== undefined ? ['re', 'im'] : ['data']) {
    const a = x[f];
    if (!(a instanceof Float64Array)) throw new InputError(`${name}.${f}`, `${where}: ${name}.${f} = ${describeValue(a)}: must be a Float64Array`);
    if (a.length !== len) throw new ShapeError(`${name}.${f}`, `${where}: ${name}.${f} has length ${a.length}: expected batch·steps·dim = ${len}`);
  }
}
