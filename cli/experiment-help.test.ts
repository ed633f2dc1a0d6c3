// Tests of the per-experiment help: preset texts (own or generated), wrapping, the config field table.
import { describe, expect, it } from 'vitest';
import { squareExperiment, throwingExperiment } from '../test/fake-experiments.js';
import { builtinExperiments } from '../src/experiments/index.js';
import { experimentHelp, presetLines, presetTexts, wrap } from './experiment-help.js';

describe('experiment help', () => {
  it('wrap keeps words whole, respects the width and indents continuation lines', () => {
    const text = 'aa bbb cccc dd e ffffff gg';
    const w = wrap(text, 12, '> ', '  ');
    expect(w.split('\n')).toEqual(['> aa bbb', '  cccc dd e', '  ffffff gg']);
    for (const l of w.split('\n')) expect(l.length).toBeLessThanOrEqual(12);
    expect(wrap('a-very-long-word x', 5, '', '').split('\n')).toEqual(['a-very-long-word', 'x']);
  });

  it('every built-in experiment says what each of its presets runs', () => {
    for (const e of builtinExperiments) {
      expect(e.presets, e.id).toBeDefined();
      expect(e.presets!.quick.length, e.id).toBeGreaterThan(20);
      expect(e.presets!.paper.length, e.id).toBeGreaterThan(20);
      expect(e.presets!.quick).not.toBe(e.presets!.paper);
      expect(presetLines(e)).toMatch(/^ {4}quick: [^]*\n {4}paper: /);
    }
  });

  it('an experiment without preset texts gets them from its preset fields', () => {
    expect(presetTexts(squareExperiment)).toEqual({ quick: 'the schema defaults with n = 8', paper: 'the schema defaults' });
    expect(presetTexts(throwingExperiment)).toEqual({ quick: 'the schema defaults', paper: 'the schema defaults' });
  });

  it('lists every config field with its paper value and the quick value where it differs', () => {
    const h = experimentHelp(squareExperiment);
    expect(h).toContain('fake/square — Square law\nSource: Test paper 2026, Fig. 1\n');
    expect(h).toContain('  quick (default): the schema defaults with n = 8\n  paper: the schema defaults\n');
    expect(h).toContain('default seed 7');
    const table = h.slice(h.indexOf('  field')).trimEnd().split('\n');
    expect(table.map((l) => l.trim().split(/\s{2,}/))).toEqual([
      ['field', 'paper', 'quick'],
      ['n', '50', '8'],
      ['scale', '1'],
      ['noise', '{"amp":0.01}'],
    ]);
  });
});
