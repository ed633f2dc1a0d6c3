// Seeded fuzzing of the JSON compute API: mutated valid requests must end in a clean "<op>: <field> ..." error, never a throw.
//
// Every op of computeOpList gets one or more VALID base requests (checked to succeed). Each base is then
// mutated field by field — dropped, replaced by a value of the wrong kind, reshaped (ragged, rows/cols off by
// one, empty, flat ↔ nested, complex with a missing or mis-shaped part, deeply nested), given an unknown
// field, or given a huge size (T, tau, washout) that would allocate gigabytes — plus seeded random
// combinations of two or three mutations. runRequest must never throw; a failure must be {"error"} starting
// with "<op>: ", never "internal error" (that means a validation gap), and a single-field mutation's error must
// name the field it mutated (or, for a shape change that moves a dimension, another field of the request).
import { describe, it, expect } from 'vitest';
import { createRng, type Rng } from '../src/core/rng.js';
import { computeOpList, computeOps, runRequest } from '../src/compute/index.js';

type Json = unknown;
type Req = Record<string, Json>;

const N = 3, I = 2, O = 2, T = 6;

function nested(rng: Rng, r: number, c: number, scale = 1): number[][] {
  return Array.from({ length: r }, () => Array.from({ length: c }, () => scale * rng.normal()));
}
function flat(rng: Rng, n: number, scale = 1): number[] {
  return Array.from({ length: n }, () => scale * rng.normal());
}
function complex(rng: Rng, r: number, c: number, scale = 1): { re: number[][]; im: number[][] } {
  return { re: nested(rng, r, c, scale), im: nested(rng, r, c, scale) };
}
function symmetric(rng: Rng, n: number): number[][] {
  const a = nested(rng, n, n);
  return a.map((row, i) => row.map((_, j) => 0.5 * (a[i]![j]! + a[j]![i]!)));
}

/** Valid base requests, at least one per op (several for ops with rules or real/complex variants). */
function bases(seed: number): Req[] {
  const rng = createRng(seed);
  const net = (): Req => ({ W: nested(rng, N, N, 0.3), U: nested(rng, N, I), V: nested(rng, O, N) });
  const teacher = (): Req => ({ W: nested(rng, N + 1, N + 1, 0.3), U: nested(rng, N + 1, I), V: nested(rng, O, N + 1) });
  const B = (): number[][] => nested(rng, N, O);
  const D = (): number[] => flat(rng, N).map((v) => 0.5 + 0.2 * Math.tanh(v));
  const rules: Req[] = [
    { rule: 'bptt' }, { rule: 'rtrl' }, { rule: 'tbptt', tau: 2 }, { rule: 'rflo', alpha: 0.3, B: B() },
    { rule: 'random-diagonal', D: D(), B: B() }, { rule: 'eprop', feedback: 'B', B: B() }, { rule: 'eprop', feedback: 'VT' },
  ];
  const modeRules: Req[] = [{ rule: 'bptt' }, { rule: 'tbptt', tau: 3 }, { rule: 'rflo', alpha: 0.5, b: 0.8 }, { rule: 'random-diagonal', d: 0.3, b: -0.7 }, { rule: 'eprop', b: 0.8 }];
  const out: Req[] = [
    { op: 'rollout', ...net(), x: nested(rng, T, I), h0: flat(rng, N), activation: 'tanh', leakRate: 0.5, bias: flat(rng, N) },
    { op: 'rollout', W: complex(rng, N, N, 0.3), U: nested(rng, N, 1), x: flat(rng, T), h0: { re: flat(rng, N), im: flat(rng, N) } },
    { op: 'readout', states: nested(rng, 8, N), targets: nested(rng, 8, O), lambda: 1e-3, washout: 1, bias: true },
    { op: 'readout', states: complex(rng, 8, N), targets: flat(rng, 8), method: 'pinv', rcond: 1e-10 },
    { op: 'rls', states: nested(rng, 8, N), targets: nested(rng, 8, O), forgetting: 0.99, delta: 0.1 },
    { op: 'eig', A: nested(rng, 4, 4), vectors: true },
    { op: 'eig', A: complex(rng, 3, 3) },
    { op: 'eigh', A: symmetric(rng, 4), vectors: true },
    { op: 'svd', A: nested(rng, 4, 3), vectors: true },
    { op: 'svd', A: complex(rng, 2, 3), vectors: true },
    { op: 'spectral-radius', A: nested(rng, 4, 4) },
    { op: 'gradient', ...net(), x: nested(rng, T, I), target: flat(rng, O), h0: flat(rng, N) },
    { op: 'gradient', ...net(), x: nested(rng, T, I), target: nested(rng, T, O), loss: 'sequence-mean', activation: 'tanh', freeze: ['U'] },
    ...rules.map((r) => ({ op: 'update', ...r, ...net(), x: nested(rng, T, I), target: flat(rng, O), eta: 0.1 })),
    { op: 'update', rule: 'bptt', ...net(), x: nested(rng, T, I), teacher: teacher(), loss: 'sequence-sum', h0: flat(rng, N) },
    ...rules.filter((r) => r['rule'] !== 'rtrl').map((r) => ({ op: 'expected-update', ...r, ...net(), teacher: teacher(), T: 5, eta: 0.5 })),
    { op: 'expected-loss', ...net(), teacher: teacher(), T: 7, loss: 'sequence-mean' },
    { op: 'expected-loss', ...net(), teacher: teacher(), T: 'inf', activation: 'identity' },
    { op: 'alignment', ...net(), nTeacher: 2 },
    { op: 'alignment', ...net(), B: B(), nTeacher: 3 },
    ...modeRules.map((r) => ({ op: 'mode-rhs', ...r, student: [0.4, 0.6, -0.5], teacher: [0.7, 1.2, 0.9], eta: 0.5 })),
    { op: 'mode-rhs', rule: 'tbptt', tau: 2, student: [1.3, 0.6, -0.5], teacher: [0.7, 1.2, 0.9], T: 6 },
    ...modeRules.map((r) => ({ op: 'mode-jacobian', ...r, student: [0.4, 0.6, -0.5], teacher: [0.7, 1.2, 0.9] })),
    { op: 'mode-jacobian', rule: 'bptt', student: [0.4, 0.6, -0.5], teacher: [0.7, 1.2, 0.9], T: 5, eta: 2 },
    { op: 'manifold-eigenvalues', rule: 'rflo', alpha: 0.5, b: 1, teacher: [0.5, 1, 1], manifold: 'optimal', sigma: 1.5 },
    { op: 'manifold-eigenvalues', rule: 'tbptt', tau: 3, teacher: [0.5, 1, 1], manifold: 'nonoptimal', w: 0.3 },
    { op: 'integrate-mode', rule: 'rflo', alpha: 0.3, b: 0.3, student: [0.7, -0.525, -2.1], teacher: [0.8, 1, 1], tEnd: 0.5, dt: 0.05, saveEvery: 2, lossTol: 1e-6 },
    { op: 'integrate-mode', rule: 'tbptt', tau: 2, student: [0.2, 0.5, 0.4], teacher: [0.6, 1, 1], tEnd: 0.3, T: 7, method: 'dopri5', rtol: 1e-6, atol: 1e-9 },
  ];
  return out;
}

/** One mutation: what it did (for the failure list) and the field it touched (null: several fields). */
interface Case {
  readonly label: string;
  readonly req: Req;
  /** Field the mutation touched ("W", "teacher.U"); the error must name it (or another field for reshapes). */
  readonly field: string | null;
  /** True when a changed dimension may legitimately be reported on another field (a shape mismatch). */
  readonly reshape: boolean;
}

const SCALARS: ReadonlyArray<[string, Json]> = [
  ['null', null], ['true', true], ['"x"', 'x'], ['{}', {}], ['[]', []], ['[[]]', [[]]], ['-1', -1], ['0', 0],
  ['1e308', 1e308], ['-1e308', -1e308], ['1.5', 1.5], ['"NaN"', 'NaN'], ['"Infinity"', 'Infinity'], ['NaN', NaN],
  ['Infinity', Infinity], ['2^53+2', 2 ** 53 + 2], ['"inf"', 'inf'], ['[1,2]', [1, 2]], ['{"re":1,"im":2}', { re: 1, im: 2 }],
];

/** Huge sizes: refused or bounded, never an out-of-memory. */
const HUGE: ReadonlyArray<number> = [1e6, 1e7, 2 ** 31, 1e9, 2 ** 53, 1e308];

function deep(v: Json, depth: number): Json {
  let x = v;
  for (let d = 0; d < depth; d++) x = [x];
  return x;
}

function isNested(v: Json): v is Json[][] {
  return Array.isArray(v) && v.length > 0 && Array.isArray(v[0]);
}

/** Structural mutations of an array-valued field (real nested/flat, or a complex {re, im}). */
function reshapes(v: Json): Array<[string, Json]> {
  const out: Array<[string, Json]> = [];
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && 're' in v) {
    const c = v as { re: Json; im: Json };
    out.push(['complex without im', { re: c.re }], ['complex without re', { im: c.im }]);
    for (const [name, r] of reshapes(c.re)) {
      out.push([`complex im ${name}`, { re: c.re, im: r }]);
      out.push([`complex both ${name}`, { re: r, im: r }]);
    }
    out.push(['complex with an extra key', { re: c.re, im: c.im, abs: 1 }]);
    return out;
  }
  if (!Array.isArray(v)) return out;
  if (isNested(v) && v.every(Array.isArray)) {
    const rows = v as number[][];
    out.push(
      ['ragged', rows.map((r, i) => (i === rows.length - 1 ? r.slice(0, -1) : r))],
      ['ragged (first row short)', rows.map((r, i) => (i === 0 ? r.slice(0, -1) : r))],
      ['rows + 1', [...rows, rows[0]!]],
      ['rows − 1', rows.slice(0, -1)],
      ['cols + 1', rows.map((r) => [...r, 0.5])],
      ['cols − 1', rows.map((r) => r.slice(0, -1))],
      ['empty []', []],
      ['[[]] (1×0)', [[]]],
      ['flattened', rows.flat()],
      ['entry NaN', rows.map((r, i) => (i === 0 ? [NaN, ...r.slice(1)] : r))],
      ['entry -Infinity', rows.map((r, i) => (i === 0 ? [-Infinity, ...r.slice(1)] : r))],
      ['entry "1"', rows.map((r, i) => (i === 0 ? ['1', ...r.slice(1)] : r))],
      ['entry null', rows.map((r, i) => (i === 0 ? [null, ...r.slice(1)] : r))],
      ['entry 1e308 (overflows)', rows.map((r, i) => (i === 0 ? [1e308, ...r.slice(1)] : r))],
      ['a row is a number', rows.map((r, i) => (i === 0 ? 1 : r))],
      ['a row is an object', rows.map((r, i) => (i === 0 ? { 0: r[0] } : r))],
      ['3-d', rows.map((r) => r.map((x) => [x]))],
      ['nested 40 deep', deep(rows, 40)],
      ['nested 20000 deep', deep(1, 20000)],
    );
  } else {
    const xs = v as number[];
    out.push(
      ['length + 1', [...xs, 0.25]],
      ['length − 1', xs.slice(0, -1)],
      ['empty []', []],
      ['nested as a column', xs.map((x) => [x])],
      ['nested as a row', [xs]],
      ['entry NaN', [NaN, ...xs.slice(1)]],
      ['entry "1"', ['1', ...xs.slice(1)]],
      ['entry null', [null, ...xs.slice(1)]],
      ['entry array', [[[1]], ...xs.slice(1)]],
      ['nested 20000 deep', deep(xs, 20000)],
    );
  }
  return out;
}

function fieldsOf(req: Req): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(req)) {
    if (k === 'op') continue;
    out.push(k);
    if (k === 'teacher' && typeof v === 'object' && v !== null && !Array.isArray(v)) for (const tk of Object.keys(v)) out.push(`teacher.${tk}`);
  }
  return out;
}

function getField(req: Req, path: string): Json {
  const [a, b] = path.split('.') as [string, string | undefined];
  return b === undefined ? req[a] : (req[a] as Req)[b];
}

function withField(req: Req, path: string, value: Json | typeof DROP): Req {
  const [a, b] = path.split('.') as [string, string | undefined];
  const out: Req = { ...req };
  if (b === undefined) {
    if (value === DROP) delete out[a]; else out[a] = value;
  } else {
    const sub: Req = { ...(req[a] as Req) };
    if (value === DROP) delete sub[b]; else sub[b] = value;
    out[a] = sub;
  }
  return out;
}
const DROP = Symbol('drop');

/** Every mutation of one field of a request (drop, wrong kinds, reshapes, huge sizes). */
function fieldMutations(req: Req, f: string): Case[] {
  const op = String(req['op']);
  const v = getField(req, f);
  // dropping an optional field (or giving null, which means absent) may switch to a default that needs another field
  const cases: Case[] = [{ label: `${op} drop ${f}`, req: withField(req, f, DROP), field: f, reshape: true }];
  for (const [name, s] of SCALARS) cases.push({ label: `${op} ${f} = ${name}`, req: withField(req, f, s), field: f, reshape: true });
  for (const [name, r] of reshapes(v)) cases.push({ label: `${op} ${f}: ${name}`, req: withField(req, f, r), field: f, reshape: true });
  if (f === 'T' || f === 'tau' || f === 'washout') {
    for (const h of HUGE) cases.push({ label: `${op} ${f} = ${h}`, req: withField(req, f, h), field: f, reshape: false });
  }
  return cases;
}

/** Unknown-field mutations (a typo at the top level and inside teacher). */
function unknownMutations(req: Req): Case[] {
  const op = String(req['op']);
  const cases: Case[] = [
    { label: `${op} unknown field lamda`, req: { ...req, lamda: 1 }, field: 'lamda', reshape: false },
    { label: `${op} unknown field ""`, req: { ...req, '': 1 }, field: '""', reshape: false },
  ];
  const t = req['teacher'];
  if (typeof t === 'object' && t !== null && !Array.isArray(t)) {
    cases.push({ label: `${op} unknown field teacher.b`, req: withField(req, 'teacher.b', [1]), field: 'teacher.b', reshape: false });
  }
  return cases;
}

/** Every single-field mutation of a base request. */
function singleMutations(base: Req): Case[] {
  return [...fieldsOf(base).flatMap((f) => fieldMutations(base, f)), ...unknownMutations(base)];
}

/** One random mutation of a request: a field (or an unknown field) uniformly, then one of its mutations. */
function randomMutation(rng: Rng, req: Req): Case {
  const fields = fieldsOf(req);
  const k = rng.int(fields.length + 1);
  const cs = k < fields.length ? fieldMutations(req, fields[k]!) : unknownMutations(req);
  return cs[rng.int(cs.length)]!;
}

interface Outcome {
  ok: boolean;
  error?: string;
}

function run(req: Req): Outcome | { thrown: string } {
  try {
    const { result, ok } = runRequest(computeOps, req);
    return ok ? { ok } : { ok, error: (result as { error: string }).error };
  } catch (e) {
    return { thrown: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

/** Problems with one case's outcome ([] when it is clean). */
function problems(c: Case, fields: readonly string[]): string[] {
  const op = String(c.req['op']);
  const r = run(c.req);
  if ('thrown' in r) return [`${c.label}: runRequest threw ${r.thrown}`];
  if (r.ok) return [];
  const msg = r.error;
  if (typeof msg !== 'string') return [`${c.label}: error is not a string: ${String(msg)}`];
  const out: string[] = [];
  if (!msg.startsWith(`${op}: `)) out.push(`${c.label}: error does not start with "${op}: ": ${msg}`);
  if (/internal error/i.test(msg)) out.push(`${c.label}: internal error (a validation gap): ${msg}`);
  if (c.field !== null) {
    const named = (f: string): boolean => new RegExp(`(^|[^\\w.])${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`).test(msg);
    const ok = named(c.field) || (c.reshape && fields.some(named));
    if (!ok) out.push(`${c.label}: the error does not name ${c.field}: ${msg}`);
  }
  return out;
}

/** Field names that an op's errors may legitimately name for a reshape (the request's own fields). */
function namesFor(req: Req): string[] {
  return fieldsOf(req);
}

describe('compute fuzz: mutated requests fail cleanly', () => {
  const all = bases(20260511);

  it('the base requests cover every op and all succeed', () => {
    expect(new Set(all.map((b) => b['op']))).toEqual(new Set(computeOpList.map((o) => o.name)));
    for (const b of all) {
      const r = runRequest(computeOps, b);
      expect(r.ok, `${String(b['op'])}: ${JSON.stringify(r.result).slice(0, 200)}`).toBe(true);
    }
  });

  it('single-field mutations of every base: errors are "<op>: ..." naming the field, never internal', () => {
    const failures: string[] = [];
    let count = 0;
    for (const b of all) {
      const names = namesFor(b);
      for (const c of singleMutations(b)) {
        count++;
        failures.push(...problems(c, names));
      }
    }
    expect(failures).toEqual([]);
    expect(count).toBeGreaterThan(3000);
  });

  it('seeded random combinations of two or three mutations never throw or leak an internal error', () => {
    const failures: string[] = [];
    for (const seed of [1, 2]) {
      const rng = createRng(seed).child('combos');
      const pool = bases(seed);
      for (let k = 0; k < 600; k++) {
        const base = pool[rng.int(pool.length)]!;
        let req = base;
        const labels: string[] = [];
        const depth = 2 + rng.int(2);
        for (let d = 0; d < depth; d++) {
          const c = randomMutation(rng, req);
          req = c.req;
          labels.push(c.label);
        }
        failures.push(...problems({ label: `seed ${seed} #${k}: ${labels.join(' ∘ ')}`, req, field: null, reshape: true }, []));
      }
    }
    expect(failures).toEqual([]);
  });

  it('small requests that imply gigabytes of working memory are refused before allocating', () => {
    const zeros = (r: number, c: number): number[][] => Array.from({ length: r }, () => new Array<number>(c).fill(0));
    const col = (T: number): number[][] => Array.from({ length: T }, (_, t) => [Math.sin(t)]);
    const W1000 = zeros(1000, 1000), U1000 = zeros(1000, 1);
    const cases: Array<[Req, RegExp]> = [
      // 2·10⁵ steps × N = 1000: 2·10⁹ states (16 GB; before: the process died out of memory encoding the answer)
      [{ op: 'rollout', W: W1000, U: U1000, x: col(200_000) }, /^rollout: x: the states \(T×N = 200000×1000\) would hold 200000000 numbers: at most 2\^24/],
      [{ op: 'gradient', W: W1000, U: U1000, V: zeros(1, 1000), x: col(20_000), target: [1] }, /^gradient: x: the states \(T×N = 20000×1000\)/],
      [{ op: 'update', rule: 'rtrl', W: zeros(300, 300), U: zeros(300, 1), V: zeros(1, 300), x: col(3), target: [1] }, /^update: W: the RTRL sensitivities/],
      [{ op: 'update', rule: 'bptt', W: zeros(2, 2), U: zeros(2, 1), V: zeros(1, 2), x: col(20_000), teacher: { W: W1000, U: U1000, V: zeros(1, 1000) } },
        /^update: x: the teacher's states \(T×N\* = 20000×1000\)/],
      [{ op: 'readout', states: zeros(1, 5000), targets: zeros(1, 5000) }, /^readout: states: the N×N Gram matrix .* would hold 25000000 numbers/],
      [{ op: 'rls', states: zeros(1, 5000), targets: zeros(1, 1) }, /^rls: states: the N×N matrix P \(N = 5000\)/],
      [{ op: 'expected-update', rule: 'bptt', W: zeros(200, 200), U: zeros(200, 2), V: zeros(1, 200), teacher: { W: [[0]], U: [[0, 0]], V: [[0]] }, T: 100_000 },
        /^expected-update: T = 100000 with N = 200, I = 2, O = 1 would store .* at most 2\^25/],
      [{ op: 'expected-loss', W: [[0.5]], U: [[1]], V: [[1]], teacher: { W: [[0.5]], U: [[1]], V: [[1]] }, T: 1e9 }, /^expected-loss: T = 1000000000: must be <= 100000 .*use "inf"/],
    ];
    for (const [req, re] of cases) {
      const r = run(req);
      expect('thrown' in r ? r.thrown : r.error, String(req['op'])).toMatch(re);
    }
  });

  it('requests that are not objects, or whose op is wrong, are clean errors', () => {
    for (const bad of [null, 1, 'rollout', [], [{ op: 'eig' }], {}, { op: 1 }, { op: null }, { op: 'no-such-op' }, { op: '' }]) {
      const r = run(bad as Req);
      expect('thrown' in r ? r.thrown : r.ok).toBe(false);
      expect((r as Outcome).error).toMatch(/^(request|no-such-op|): /);
      expect((r as Outcome).error).not.toMatch(/internal error/);
    }
  });
});
