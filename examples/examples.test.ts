import { describe, it, expect } from 'vitest';
import { readmeExample } from './narma-readme.js';

describe('README example', () => {
  it('runs and gives a NARMA-10 test NRMSE in the 100-unit ESN range', () => {
    const e = readmeExample();
    expect(e).toBeGreaterThan(0.2);
    expect(e).toBeLessThan(0.6);
  });
});
