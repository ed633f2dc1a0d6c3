// Tests of the CLI option parser: forms of options, positionals, and the one-line errors.
import { describe, expect, it } from 'vitest';
import { InputError } from '../src/core/errors.js';
import { optionsHelp, parseArgs, type OptionSpecs } from './args.js';

const specs: OptionSpecs = {
  seed: { type: 'string', value: 'N', help: 'seed' },
  json: { type: 'boolean', help: 'json' },
  help: { type: 'boolean', short: 'h', help: 'help' },
  out: { type: 'string', short: 'o', value: 'dir', help: 'out' },
};

function err(argv: string[]): string {
  try {
    parseArgs(argv, specs, 'polelab run');
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('parseArgs', () => {
  it('reads --opt value, --opt=value, flags, short aliases and positionals in order', () => {
    expect(parseArgs(['a', '--seed', '3', 'b', '--json', '-o', 'dir', '-h'], specs, 'x')).toEqual({ options: { seed: '3', json: true, out: 'dir', help: true }, positionals: ['a', 'b'] });
    expect(parseArgs(['--seed=4', '--out=a=b'], specs, 'x').options).toEqual({ seed: '4', out: 'a=b' });
  });

  it('"--" ends options; "-" and negative numbers are values', () => {
    expect(parseArgs(['--', '--json', '-x'], specs, 'x')).toEqual({ options: {}, positionals: ['--json', '-x'] });
    expect(parseArgs(['--out', '-', '--seed', '-1'], specs, 'x').options).toEqual({ out: '-', seed: '-1' });
    expect(parseArgs(['-'], specs, 'x').positionals).toEqual(['-']);
  });

  it('errors name the option and what is allowed', () => {
    expect(err(['--sed', '3'])).toBe('polelab run: unknown option --sed; allowed: --seed, --json, --help, --out');
    expect(err(['-x'])).toBe('polelab run: unknown option -x; allowed: --seed, --json, --help, --out');
    expect(err(['--seed'])).toBe('polelab run: option --seed needs a value (N)');
    expect(err(['--seed', '--json'])).toBe('polelab run: option --seed needs a value (N)');
    expect(err(['--json=yes'])).toBe('polelab run: option --json takes no value, got "yes"');
    expect(err(['--seed', '1', '--seed', '2'])).toBe('polelab run: option --seed given more than once');
    expect(err(['--constructor'])).toBe('polelab run: unknown option --constructor; allowed: --seed, --json, --help, --out');
  });

  it('optionsHelp aligns the option column', () => {
    expect(optionsHelp(specs).split('\n')).toEqual([
      '      --seed <N>   seed',
      '      --json       json',
      '  -h, --help       help',
      '  -o, --out <dir>  out',
    ]);
  });
});
