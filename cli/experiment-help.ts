// Per-experiment help for `polelab list` and `polelab run <id> --help`: what each preset runs, and every config field's preset values.
import { InputError } from '../src/core/errors.js';
import { PRESETS, configFieldNames, resolveConfig, type Preset } from '../src/experiments/config.js';
import type { AnyExperiment } from '../src/experiments/experiment.js';

/** Compact JSON of a config value (arrays and objects on one line). */
function valueText(v: unknown): string {
  return v === undefined ? '(unset)' : JSON.stringify(v);
}

/**
 * What each preset runs, in the experiment's own words (`experiment.presets`); an experiment without them
 * gets a description of its preset fields ("the schema defaults", "the schema defaults with n = 8").
 */
export function presetTexts(e: AnyExperiment): Record<Preset, string> {
  if (e.presets) return { quick: e.presets.quick, paper: e.presets.paper };
  const over = Object.entries(e.quick as Record<string, unknown>).map(([k, v]) => `${k} = ${valueText(v)}`);
  return { quick: over.length ? `the schema defaults with ${over.join(', ')}` : 'the schema defaults', paper: 'the schema defaults' };
}

/**
 * `text` wrapped at word boundaries to lines of at most `width` characters (a longer word gets a line of its
 * own); the first line starts with `indent`, the others with `hang`.
 */
export function wrap(text: string, width: number, indent: string, hang = indent): string {
  const lines: string[] = [];
  let line = '';
  const lead = (): string => (lines.length === 0 ? indent : hang);
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && lead().length + line.length + 1 + word.length > width) {
      lines.push(lead() + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(lead() + line);
  return lines.join('\n');
}

/** The preset lines of `polelab list` for one experiment: "    quick: ...", "    paper: ...", wrapped. */
export function presetLines(e: AnyExperiment, width = 100): string {
  const t = presetTexts(e);
  return PRESETS.map((p) => wrap(`${p}: ${t[p]}`, width, '    ', '           ')).join('\n');
}

/** The validated config of a preset, or the one-line reason it does not validate. */
function presetConfig(e: AnyExperiment, preset: Preset): Record<string, unknown> | string {
  try {
    return resolveConfig(e, { preset }).config;
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}

/**
 * The help of one experiment (appended to `polelab run <id> --help`): id, title, source, description, what
 * each preset runs, and every config field with its 'paper' value (the schema default) and its 'quick'
 * value where that differs.
 */
export function experimentHelp(e: AnyExperiment, width = 100): string {
  const t = presetTexts(e);
  const out = [
    `${e.id} — ${e.title}`,
    `Source: ${e.source.paper}, ${e.source.figure}`,
    '',
    wrap(e.description, width, ''),
    '',
    'Presets (--preset):',
    ...PRESETS.map((p) => wrap(`${p}${p === 'quick' ? ' (default)' : ''}: ${t[p]}`, width, '  ', '    ')),
    '',
  ];
  const paper = presetConfig(e, 'paper'), quick = presetConfig(e, 'quick');
  if (typeof paper === 'string' || typeof quick === 'string') {
    for (const [p, c] of [['paper', paper], ['quick', quick]] as const) if (typeof c === 'string') out.push(`The ${p} preset does not validate: ${c}`);
    return out.join('\n') + '\n';
  }
  const keys = [...new Set([...configFieldNames(e.config), ...Object.keys(paper), ...Object.keys(quick)])];
  const rows = keys.map((k) => {
    const pv = valueText(paper[k]), qv = valueText(quick[k]);
    return [k, pv, qv === pv ? '' : qv] as const;
  });
  const w0 = Math.max(5, ...keys.map((k) => k.length));
  // the quick column starts after the paper values, or after 32 characters when some are longer
  const w1 = Math.min(32, Math.max(5, ...rows.map((r) => r[1].length)));
  out.push(`Config fields (--config file.json): the paper value (schema default), and the quick value where it differs${e.defaultSeed !== undefined ? `; default seed ${e.defaultSeed}` : ''}.`);
  out.push(`  ${'field'.padEnd(w0)}  ${'paper'.padEnd(w1)}  quick`);
  for (const [k, pv, qv] of rows) out.push(`  ${k.padEnd(w0)}  ${pv.padEnd(w1)}  ${qv}`.trimEnd());
  return out.join('\n') + '\n';
}
