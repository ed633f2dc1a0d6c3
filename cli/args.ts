// Strict command-line option parser for the polelab CLI: --flag, --opt value, --opt=value, -x, '--' ends options.
import { InputError, describeValue } from '../src/core/errors.js';

/** One option: a boolean flag or an option taking one string value. */
export interface OptionSpec {
  readonly type: 'boolean' | 'string';
  /** One-letter alias ("-h"). */
  readonly short?: string;
  /** Placeholder for the value in help text ("file.json"). */
  readonly value?: string;
  /** One line of help. */
  readonly help: string;
}

/** Options of one command, by long name (without "--"). */
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

/** Parsed options (booleans true when given, strings their value) and positionals in order. */
export interface ParsedArgs {
  readonly options: Readonly<Record<string, string | boolean>>;
  readonly positionals: readonly string[];
}

/** True for "--x" / "-x" but not for "-" (stdin) or a negative number ("-1", "-0.5"). */
function looksLikeOption(v: string): boolean {
  return v.startsWith('-') && v !== '-' && !/^-\d/.test(v);
}

function allowedList(specs: OptionSpecs): string {
  const names = Object.keys(specs).map((n) => `--${n}`);
  return names.length ? names.join(', ') : '(none)';
}

/**
 * Parses `argv` against `specs` for the command named `context` ("polelab run"). Unknown options, a
 * missing value, a value given to a flag and a repeated option raise an InputError naming the option and
 * what is allowed. Everything after "--" is positional.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs, context: string): ParsedArgs {
  const options: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, s] of Object.entries(specs)) if (s.short) byShort.set(s.short, name);

  const set = (name: string, flag: string, v: string | boolean): void => {
    if (name in options) throw new InputError(flag, `${context}: option ${flag} given more than once`);
    options[name] = v;
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq);
      const flag = `--${name}`;
      const spec = Object.prototype.hasOwnProperty.call(specs, name) ? specs[name] : undefined;
      if (spec === undefined) throw new InputError(flag, `${context}: unknown option ${flag}; allowed: ${allowedList(specs)}`);
      if (spec.type === 'boolean') {
        if (eq >= 0) throw new InputError(flag, `${context}: option ${flag} takes no value, got ${JSON.stringify(a.slice(eq + 1))}`);
        set(name, flag, true);
      } else if (eq >= 0) {
        set(name, flag, a.slice(eq + 1));
      } else {
        const v = argv[i + 1];
        if (v === undefined || looksLikeOption(v)) throw new InputError(flag, `${context}: option ${flag} needs a value (${spec.value ?? 'value'})`);
        set(name, flag, v);
        i++;
      }
    } else if (a.startsWith('-') && a.length > 1) {
      const letter = a.slice(1);
      const name = byShort.get(letter);
      if (name === undefined) throw new InputError(a, `${context}: unknown option ${a}; allowed: ${allowedList(specs)}`);
      const spec = specs[name]!;
      if (spec.type === 'boolean') {
        set(name, `--${name}`, true);
      } else {
        const v = argv[i + 1];
        if (v === undefined || looksLikeOption(v)) throw new InputError(a, `${context}: option ${a} needs a value (${spec.value ?? 'value'})`);
        set(name, `--${name}`, v);
        i++;
      }
    } else {
      positionals.push(a);
    }
  }
  return { options, positionals };
}

/** Help lines for a command's options, aligned. */
export function optionsHelp(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => [`${s.short ? `-${s.short}, ` : '    '}--${name}${s.type === 'string' ? ` <${s.value ?? 'value'}>` : ''}`, s.help] as const);
  const w = Math.max(0, ...rows.map((r) => r[0].length));
  return rows.map(([l, h]) => `  ${l.padEnd(w)}  ${h}`).join('\n');
}

/**
 * Checks a `--workers` value (user input): an integer >= 0, where 0 means "run in this process, one
 * after another". `defaultN` (the number of cores) is named in the message.
 */
export function parseWorkers(text: string, defaultN: number, field = '--workers'): number {
  const t = text.trim();
  const v = /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isSafeInteger(v)) {
    throw new InputError(field, `${field} = ${describeValue(text)}: must be an integer >= 1, or 0 to run in this process (default ${defaultN}, one per core)`);
  }
  return v;
}
