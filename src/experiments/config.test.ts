// Tests of config resolution (presets, overrides, seeds) and the one-line zod error messages.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { defineExperiment } from './experiment.js';
import { DEFAULT_SEED, formatConfigError, mergeConfig, parseConfigJson, parsePreset, parseSeed, resolveConfig } from './config.js';

const exp = defineExperiment({
  id: 'esn/narma10',
  title: 't',
  source: { paper: 'p', figure: 'f' },
  description: 'd',
  config: z.object({
    sr: z.number().gt(0).default(0.9),
    n: z.number().int().min(1).max(500).default(400),
    mode: z.enum(['ridge', 'pinv']).default('ridge'),
    reservoir: z.object({ leak: z.number().gt(0).max(1).default(1), density: z.number().default(0.1) }).strict().default({ leak: 1, density: 0.1 }),
    sizes: z.array(z.number().int()).min(1).default([10, 20]),
  }).strict(),
  quick: { n: 50, reservoir: { leak: 0.5, density: 0.1 } },
  async run() {
    return 0;
  },
  figure() {
    return { title: 'x', panels: [] };
  },
  summary() {
    return {};
  },
});

function messageOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('resolveConfig', () => {
  it("'paper' is the schema defaults, 'quick' applies the quick overrides", () => {
    const paper = resolveConfig(exp, { preset: 'paper' });
    expect(paper.config).toEqual({ sr: 0.9, n: 400, mode: 'ridge', reservoir: { leak: 1, density: 0.1 }, sizes: [10, 20] });
    const quick = resolveConfig(exp, { preset: 'quick' });
    expect(quick.config).toEqual({ sr: 0.9, n: 50, mode: 'ridge', reservoir: { leak: 0.5, density: 0.1 }, sizes: [10, 20] });
    expect(quick.preset).toBe('quick');
  });

  it('user overrides merge deeply on top of the preset; arrays are replaced whole', () => {
    const r = resolveConfig(exp, { preset: 'quick', overrides: { sr: 0.5, reservoir: { density: 0.3 }, sizes: [7] } });
    expect(r.config).toEqual({ sr: 0.5, n: 50, mode: 'ridge', reservoir: { leak: 0.5, density: 0.3 }, sizes: [7] });
  });

  it('seed: explicit, else defaultSeed, else DEFAULT_SEED', () => {
    expect(resolveConfig(exp, { seed: 12 }).seed).toBe(12);
    expect(resolveConfig(exp).seed).toBe(DEFAULT_SEED);
    expect(resolveConfig({ ...exp, defaultSeed: 99 }).seed).toBe(99);
  });

  it('out-of-range values give one line naming field, value and the allowed range', () => {
    expect(messageOf(() => resolveConfig(exp, { overrides: { sr: -1 } }))).toBe('config: sr = -1: must be > 0 (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { n: 501 } }))).toBe('config: n = 501: must be <= 500 (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { n: 2.5 } }))).toBe('config: n = 2.5: must be an integer (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { mode: 'lasso' } }))).toBe('config: mode = "lasso": must be one of "ridge", "pinv" (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { sr: 'big' } }))).toBe('config: sr = "big": must be a finite number (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { reservoir: { leak: 2 } } }))).toBe('config: reservoir.leak = 2: must be <= 1 (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { sizes: [] } }))).toBe('config: sizes = []: must have >= 1 items (esn/narma10)');
    expect(messageOf(() => resolveConfig(exp, { overrides: { sizes: [1, 'x'] } }))).toBe('config: sizes[1] = "x": must be a finite number (esn/narma10)');
  });

  it('several problems: the first is spelled out and the rest counted', () => {
    expect(messageOf(() => resolveConfig(exp, { overrides: { sr: 0, n: 0 } }))).toBe('config: sr = 0: must be > 0 (esn/narma10); and 1 more problem');
  });

  it('unknown fields are named with the allowed fields (top level and nested)', () => {
    expect(messageOf(() => resolveConfig(exp, { overrides: { lamda: 1 } }))).toBe('config: unknown field "lamda" (esn/narma10); allowed: sr, n, mode, reservoir, sizes');
    expect(messageOf(() => resolveConfig(exp, { overrides: { reservoir: { leek: 1 } } }))).toBe('config: unknown field "reservoir.leek" (esn/narma10); allowed: leak, density');
  });

  it('the InputError field is the dotted config path', () => {
    let err: unknown;
    try {
      resolveConfig(exp, { overrides: { reservoir: { leak: 0 } } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).field).toBe('config.reservoir.leak');
  });
});

describe('helpers', () => {
  it('mergeConfig does not modify its arguments', () => {
    const a = { x: { y: 1, z: 2 } };
    const b = { x: { y: 3 } };
    expect(mergeConfig(a, b)).toEqual({ x: { y: 3, z: 2 } });
    expect(a).toEqual({ x: { y: 1, z: 2 } });
    expect(b).toEqual({ x: { y: 3 } });
  });

  it('parseSeed accepts non-negative integers only', () => {
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('9007199254740991')).toBe(9007199254740991);
    for (const bad of ['-1', '1.5', 'abc', '', '9007199254740992', '1e3']) {
      expect(messageOf(() => parseSeed(bad))).toBe(`--seed = ${JSON.stringify(bad)}: must be an integer in [0, 2^53-1]`);
    }
  });

  it('parsePreset accepts quick and paper', () => {
    expect(parsePreset('paper')).toBe('paper');
    expect(messageOf(() => parsePreset('fast'))).toBe('--preset = "fast": must be one of quick, paper');
  });

  it('parseConfigJson: malformed JSON and non-objects are InputErrors naming the file', () => {
    expect(parseConfigJson('{"sr": 0.5}', 'c.json')).toEqual({ sr: 0.5 });
    expect(messageOf(() => parseConfigJson('{"sr": }', 'c.json'))).toMatch(/^--config c\.json: not valid JSON: /);
    expect(messageOf(() => parseConfigJson('[1, 2]', 'c.json'))).toBe('--config c.json: expected a JSON object of config fields, got [1,2]');
  });

  it('formatConfigError without issues still gives a line', () => {
    const err = new z.ZodError([]);
    expect(formatConfigError(err, {}, exp.config, 'a/b')).toBe('config: invalid (a/b)');
  });
});
