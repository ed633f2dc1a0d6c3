// Tests of the experiment registry: order, unknown ids, duplicate and malformed ids.
import { describe, expect, it } from 'vitest';
import { InputError, PolelabError } from '../core/errors.js';
import { fakeExperiments, squareExperiment, throwingExperiment } from '../../test/fake-experiments.js';
import { ExperimentRegistry, assertExperimentId, getExperiment, listExperiments, registerExperiment } from './registry.js';

describe('ExperimentRegistry', () => {
  it('keeps registration order and finds by id', () => {
    const r = new ExperimentRegistry(fakeExperiments);
    expect(r.list().map((e) => e.id)).toEqual(['fake/square', 'fake/throws', 'fake/slow']);
    expect(r.get('fake/throws')).toBe(throwingExperiment);
    expect(r.has('fake/square')).toBe(true);
    expect(r.has('fake/none')).toBe(false);
  });

  it('an unknown id is an InputError listing the known ids', () => {
    const r = new ExperimentRegistry(fakeExperiments);
    expect(() => r.get('esn/narma')).toThrow(InputError);
    expect(() => r.get('esn/narma')).toThrow('unknown experiment id "esn/narma"; known ids: fake/square, fake/throws, fake/slow');
    expect(() => new ExperimentRegistry().get('x')).toThrow('known ids: (none registered)');
  });

  it('refuses duplicates and malformed ids', () => {
    expect(() => new ExperimentRegistry([squareExperiment, squareExperiment])).toThrow('experiment id "fake/square" is registered twice');
    for (const bad of ['', 'A/b', 'a//b', '../x', 'a/..', 'a/b/', '/a', 'a b']) {
      expect(() => assertExperimentId(bad), bad).toThrow(PolelabError);
    }
    for (const good of ['esn/narma10', 'local/fig4-trajectories', 'a', 'x.y/z_1']) expect(() => assertExperimentId(good)).not.toThrow();
  });
});

describe('default registry', () => {
  it('registerExperiment / getExperiment / listExperiments share one process-wide registry', () => {
    const before = listExperiments().length;
    registerExperiment({ ...squareExperiment, id: 'fake/registered-once' });
    expect(listExperiments().length).toBe(before + 1);
    expect(getExperiment('fake/registered-once').title).toBe('Square law');
    expect(() => getExperiment('fake/missing')).toThrow(/unknown experiment id "fake\/missing"; known ids: .*fake\/registered-once/);
  });
});
