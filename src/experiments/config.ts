// Experiment configs: preset + user overrides merged and validated by the experiment's zod schema; zod issues as one clear line.
import type { z } from 'zod';
import { InputError, describeValue } from '../core/errors.js';
import { MAX_SEED } from '../core/rng.js';
import type { AnyExperiment } from './experiment.js';

/** 'paper' = the schema defaults (the paper's sizes); 'quick' = defaults overridden by `experiment.quick`. */
export type Preset = 'quick' | 'paper';

/** The presets, in help order. */
export const PRESETS: readonly Preset[] = ['quick', 'paper'];

/** Seed used when neither the user nor the experiment (`defaultSeed`) gives one. */
export const DEFAULT_SEED = 1;

/** A resolved run request: the validated config (schema output) and the seed. */
export interface ResolvedConfig {
  readonly preset: Preset;
  /** Schema output: every field present, defaults applied. */
  readonly config: Record<string, unknown>;
  readonly seed: number;
}

type Json = unknown;

function isPlainObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/**
 * Deep merge of plain JSON objects: keys of `over` replace those of `base`; nested plain objects merge
 * recursively; arrays and scalars are replaced whole. Neither argument is modified.
 */
export function mergeConfig(base: Record<string, Json>, over: Record<string, Json>): Record<string, Json> {
  const out: Record<string, Json> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = isPlainObject(b) && isPlainObject(v) ? mergeConfig(b, v) : v;
  }
  return out;
}

/** Checks a preset name (user input): InputError naming the value and the allowed presets. */
export function parsePreset(value: string, field = '--preset'): Preset {
  if (!(PRESETS as readonly string[]).includes(value)) {
    throw new InputError(field, `${field} = ${describeValue(value)}: must be one of ${PRESETS.join(', ')}`);
  }
  return value as Preset;
}

/** Checks a seed given as text (a CLI flag): an integer in [0, 2^53-1]. */
export function parseSeed(text: string, field = '--seed'): number {
  const t = text.trim();
  const v = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v) || v < 0 || v > MAX_SEED) {
    throw new InputError(field, `${field} = ${describeValue(text)}: must be an integer in [0, 2^53-1]`);
  }
  return v;
}

/**
 * Parses user config JSON text (a `--config` file). It must be a JSON object of config fields; `source`
 * names the file in error messages. Malformed JSON or a non-object raises an InputError.
 */
export function parseConfigJson(text: string, source: string): Record<string, Json> {
  let v: Json;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new InputError('--config', `--config ${source}: not valid JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (!isPlainObject(v)) {
    throw new InputError('--config', `--config ${source}: expected a JSON object of config fields, got ${describeValue(v)}`);
  }
  return v;
}

/** The internal definition of a zod 4 schema (`_zod.def`: its `type` and children). */
function defOf(x: z.ZodType): Record<string, unknown> {
  return (x as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
}

/** Strips default/optional/nullable/readonly/catch wrappers and pipes (their input side). */
function unwrapSchema(x: z.ZodType): z.ZodType {
  let cur = x;
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(cur);
    const t = def['type'];
    if (t === 'default' || t === 'optional' || t === 'nullable' || t === 'readonly' || t === 'prefault' || t === 'nonoptional' || t === 'catch') {
      cur = def['innerType'] as z.ZodType;
    } else if (t === 'pipe') {
      cur = def['in'] as z.ZodType;
    } else {
      return cur;
    }
  }
  return cur;
}

/** Field names of the object schema found at `path` inside `schema` (through arrays and wrappers), if any. */
function objectKeysAt(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] | undefined {
  let s: z.ZodType | undefined = schema;
  for (const key of path) {
    const def: Record<string, unknown> = defOf(unwrapSchema(s));
    if (def['type'] === 'object') s = (def['shape'] as Record<string, z.ZodType>)[String(key)];
    else if (def['type'] === 'array') s = def['element'] as z.ZodType;
    else return undefined;
    if (s === undefined) return undefined;
  }
  const def = defOf(unwrapSchema(s));
  return def['type'] === 'object' ? Object.keys(def['shape'] as Record<string, z.ZodType>) : undefined;
}

/** The top-level field names of an experiment's config schema (empty when it is not an object schema). */
export function configFieldNames(schema: z.ZodType): string[] {
  return objectKeysAt(schema, []) ?? [];
}

function valueAt(input: Json, path: ReadonlyArray<PropertyKey>): Json {
  let v = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, Json>)[k as string];
  }
  return v;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? String(k) : `.${String(k)}`;
  return s;
}

/** "what is allowed" for one zod issue, in the project's words. */
function allowedText(issue: z.core.$ZodIssue): string {
  const i = issue as unknown as Record<string, unknown>;
  switch (issue.code) {
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = i[small ? 'minimum' : 'maximum'] as number | bigint;
      const op = (small ? '>' : '<') + (i['inclusive'] ? '=' : '');
      if (i['origin'] === 'array' || i['origin'] === 'set') return `must have ${op} ${bound} items`;
      if (i['origin'] === 'string') return `must have ${op} ${bound} characters`;
      return `must be ${op} ${bound}`;
    }
    case 'invalid_type': {
      const exp = String(i['expected']);
      if (exp === 'int') return 'must be an integer';
      if (exp === 'number') return 'must be a finite number';
      return `must be ${/^[aeiou]/.test(exp) ? 'an' : 'a'} ${exp}`;
    }
    case 'invalid_value':
      return `must be one of ${(i['values'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'not_multiple_of':
      return `must be a multiple of ${String(i['divisor'])}`;
    default:
      return issue.message;
  }
}

/**
 * One line for a zod error on an experiment config, e.g.
 * `config: sr = -1: must be > 0 (esn/narma10)` or
 * `config: unknown field "lamda" (esn/narma10); allowed: sr, lambda, ...`.
 * Only the first issue is spelled out; the count of further issues is appended.
 */
export function formatConfigError(err: z.ZodError, input: Json, schema: z.ZodType, experimentId: string): string {
  const issues = err.issues;
  const first = issues[0];
  if (first === undefined) return `config: invalid (${experimentId})`;
  const more = issues.length > 1 ? `; and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''}` : '';
  if (first.code === 'unrecognized_keys') {
    const keys = (first as unknown as { keys: string[] }).keys;
    const prefix = pathText(first.path);
    const names = keys.map((k) => JSON.stringify(prefix ? `${prefix}.${k}` : k)).join(', ');
    const known = objectKeysAt(schema, first.path);
    const allowed = known ? `; allowed: ${known.join(', ')}` : '';
    return `config: unknown field${keys.length > 1 ? 's' : ''} ${names} (${experimentId})${allowed}${more}`;
  }
  const field = pathText(first.path) || '(config)';
  return `config: ${field} = ${describeValue(valueAt(input, first.path))}: ${allowedText(first)} (${experimentId})${more}`;
}

/**
 * Resolves the config of one run: the preset ('paper' = schema defaults, 'quick' = `experiment.quick`),
 * then `overrides` (a user config object) deep-merged on top, validated by the experiment's schema.
 * Seed: `seed`, else `experiment.defaultSeed`, else {@link DEFAULT_SEED}.
 * Throws an InputError (field `config.<path>`) with a one-line message on any invalid or unknown field.
 */
export function resolveConfig(
  experiment: AnyExperiment,
  opts: { readonly preset?: Preset; readonly overrides?: Record<string, Json>; readonly seed?: number } = {},
): ResolvedConfig {
  const preset = opts.preset ?? 'quick';
  const base: Record<string, Json> = preset === 'quick' ? { ...(experiment.quick as Record<string, Json>) } : {};
  const input = opts.overrides ? mergeConfig(base, opts.overrides) : base;
  const schema = experiment.config as z.ZodType;
  const r = schema.safeParse(input);
  if (!r.success) {
    const first = r.error.issues[0];
    const field = first ? `config.${pathText(first.path)}`.replace(/\.$/, '') : 'config';
    throw new InputError(field, formatConfigError(r.error, input, schema, experiment.id));
  }
  if (!isPlainObject(r.data)) {
    throw new InputError('config', `config: the schema of ${experiment.id} must produce an object, got ${describeValue(r.data)}`);
  }
  const seed = opts.seed ?? experiment.defaultSeed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new InputError('seed', `seed = ${describeValue(seed)}: must be an integer in [0, 2^53-1] (${experiment.id})`);
  }
  return { preset, config: r.data, seed };
}
