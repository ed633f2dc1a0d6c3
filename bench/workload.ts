// Benchmark workload contract: a named, seeded piece of work whose median wall time `npm run bench` reports.

/** A benchmark workload. `setup` builds inputs (untimed) and returns the function that is timed. */
export interface Workload {
  /** Contract name printed by `npm run bench -- --json`, e.g. "harvest_tanh_N128". */
  readonly name: string;
  /** Builds inputs from a fixed seed; returns the timed closure (one call = one measurement). */
  setup(): () => void;
  /** Number of timed repetitions (median reported); default 5. */
  readonly repeats?: number;
}
