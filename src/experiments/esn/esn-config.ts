// The reservoir fields of the esn/* experiment configs: the model's own EsnConfig schema with the experiment's defaults.
//
// An experiment config embeds every field of EsnConfig (src/models/reservoir.ts) at its top level, so config
// files stay flat ({"units": 1000, "sr": 0.9}) and each field keeps exactly the model's bounds and error text;
// the experiment only changes the defaults. A field the model adds later appears in the experiments as well.
import type { z } from 'zod';
import { EsnConfig, type EsnConfigInput } from '../../models/reservoir.js';

type EsnShape = typeof EsnConfig.shape;
/** The EsnConfig fields that carry a default (all but inputDistribution, which defaults to `distribution`). */
type DefaultedKey = { [K in keyof EsnShape]: EsnShape[K] extends z.ZodDefault<z.ZodType> ? K : never }[keyof EsnShape];

/** New defaults for some EsnConfig fields (values must pass the model's own checks). */
export type EsnDefaults = { readonly [K in DefaultedKey]?: z.output<EsnShape[K]> };

/** The names of the EsnConfig fields, in the model's order. */
export const ESN_FIELDS = Object.keys(EsnConfig.shape) as ReadonlyArray<keyof EsnShape>;

/**
 * The field schemas of EsnConfig with `defaults` in place of the model's defaults; the checks (integer,
 * bounds, enum values) are the model's. Spread the result into the experiment's `z.object({...})`.
 * Throws when a default does not pass the model's check (a programming error).
 */
export function esnFields(defaults: EsnDefaults): EsnShape {
  const shape: Record<string, z.ZodType> = { ...EsnConfig.shape };
  for (const [key, value] of Object.entries(defaults)) {
    const field = EsnConfig.shape[key as DefaultedKey];
    const inner = field.unwrap() as z.ZodType;
    // parse (not safeParse): a default outside the model's bounds is a bug in the experiment, caught at import
    shape[key] = inner.default(inner.parse(value) as never);
  }
  return shape as EsnShape;
}

/** The EsnConfig part of an experiment config (every ESN field present in it), for {@link esn}. */
export function esnPart(cfg: Readonly<Record<string, unknown>>): EsnConfigInput {
  const out: Record<string, unknown> = {};
  for (const k of ESN_FIELDS) if (cfg[k] !== undefined) out[k] = cfg[k];
  return out as EsnConfigInput;
}
