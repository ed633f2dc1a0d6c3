// Seeded randomness: xoshiro256** (64-bit state words held as uint32 halves), named child streams, snapshots.
//
// Reference: D. Blackman, S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4), 2021,
// doi:10.1145/3460772. Seeding and child derivation use SplitMix64 (Steele, Lea, Flood, OOPSLA 2014).
//
// Streams: createRng(seed) gives a stream keyed by the seed; rng.child('W') gives an independent stream keyed
// by (parent key, 'W'). Derivation depends only on the parent's key, never on how much of the parent was
// consumed, so children are order-independent: same (seed, label path) => same numbers.

import { InputError, describeValue } from './errors.js';

const MASK64 = (1n << 64n) - 1n;

function splitmix64Next(state: { x: bigint }): bigint {
  state.x = (state.x + 0x9e3779b97f4a7c15n) & MASK64;
  let z = state.x;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
  return z ^ (z >> 31n);
}

function mix64(x: bigint): bigint {
  return splitmix64Next({ x });
}

/** FNV-1a 64-bit hash of a UTF-16 string (code units), used to key child streams by label. */
function fnv1a64(s: string): bigint {
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < s.length; i++) {
    h ^= BigInt(s.charCodeAt(i));
    h = (h * 0x100000001b3n) & MASK64;
  }
  return h;
}

/** JSON-safe state of a generator; {@link restoreRng} resumes it exactly. */
export interface RngSnapshot {
  /** 64-bit stream key, hex. */
  readonly key: string;
  /** Human-readable derivation path, e.g. "42/W". */
  readonly path: string;
  /** 256-bit xoshiro state as 64 hex digits. */
  readonly state: string;
  /** Cached second normal deviate of the polar method, or null. */
  readonly spare: number | null;
}

/**
 * A seeded pseudo-random generator (xoshiro256**). Not thread-shared; pass it explicitly.
 * All methods advance the stream deterministically.
 */
export class Rng {
  /** Derivation path: the seed, then child labels ("42/W/rows"). */
  readonly path: string;
  private readonly key: bigint;
  private readonly s = new Uint32Array(8); // [s0hi, s0lo, s1hi, s1lo, s2hi, s2lo, s3hi, s3lo]
  private spare: number | null = null;

  /** Use {@link createRng}; the constructor is for derived streams. */
  constructor(key: bigint, path: string) {
    this.key = key & MASK64;
    this.path = path;
    const sm = { x: this.key };
    for (let w = 0; w < 4; w++) {
      const v = splitmix64Next(sm);
      this.s[2 * w] = Number(v >> 32n);
      this.s[2 * w + 1] = Number(v & 0xffffffffn);
    }
  }

  /** Next raw 64-bit output as [hi, lo] written into out (uint32 halves). */
  private next(): void {
    const s = this.s;
    // result = rotl(s1 * 5, 7) * 9
    let hi = s[2]!, lo = s[3]!;
    // x * 5 = x + (x << 2)
    let shi = ((hi << 2) | (lo >>> 30)) >>> 0, slo = (lo << 2) >>> 0;
    let rlo = (lo + slo) >>> 0;
    let rhi = (hi + shi + (rlo < lo ? 1 : 0)) >>> 0;
    // rotl 7
    const thi = ((rhi << 7) | (rlo >>> 25)) >>> 0;
    const tlo = ((rlo << 7) | (rhi >>> 25)) >>> 0;
    // * 9 = x + (x << 3)
    shi = ((thi << 3) | (tlo >>> 29)) >>> 0;
    slo = (tlo << 3) >>> 0;
    rlo = (tlo + slo) >>> 0;
    rhi = (thi + shi + (rlo < tlo ? 1 : 0)) >>> 0;
    this.outHi = rhi;
    this.outLo = rlo;
    // t = s1 << 17
    hi = s[2]!;
    lo = s[3]!;
    const t17hi = ((hi << 17) | (lo >>> 15)) >>> 0;
    const t17lo = (lo << 17) >>> 0;
    // s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)
    s[4] = s[4]! ^ s[0]!;
    s[5] = s[5]! ^ s[1]!;
    s[6] = s[6]! ^ s[2]!;
    s[7] = s[7]! ^ s[3]!;
    s[2] = s[2]! ^ s[4]!;
    s[3] = s[3]! ^ s[5]!;
    s[0] = s[0]! ^ s[6]!;
    s[1] = s[1]! ^ s[7]!;
    s[4] = s[4]! ^ t17hi;
    s[5] = s[5]! ^ t17lo;
    const h3 = s[6]!, l3 = s[7]!;
    s[6] = ((l3 << 13) | (h3 >>> 19)) >>> 0;
    s[7] = ((h3 << 13) | (l3 >>> 19)) >>> 0;
  }
  private outHi = 0;
  private outLo = 0;

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    this.next();
    return (this.outHi * 2097152 + (this.outLo >>> 11)) / 9007199254740992; // (x >> 11) * 2^-53
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    this.next();
    return this.outHi;
  }

  /** Uniform integer in [0, n), n a positive integer ≤ 2^32 (bias below 2^-21 relative, from 53-bit scaling). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal deviate N(0, 1) (Marsaglia polar method; the second deviate is cached). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Bernoulli(p): true with probability p. */
  bernoulli(p: number): boolean {
    return this.uniform() < p;
  }

  /** Fills out with N(mean, scale²) deviates and returns it. */
  fillNormal(out: Float64Array, scale = 1, mean = 0): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + scale * this.normal();
    return out;
  }

  /** Fills out with U[lo, hi) deviates and returns it. */
  fillUniform(out: Float64Array, lo = 0, hi = 1): Float64Array {
    const w = hi - lo;
    for (let i = 0; i < out.length; i++) out[i] = lo + w * this.uniform();
    return out;
  }

  /**
   * Fills (re, im) with circular complex normal deviates CN(0, variance): real and imaginary parts
   * independent N(0, variance/2).
   */
  fillComplexNormal(re: Float64Array, im: Float64Array, variance = 1): void {
    const s = Math.sqrt(variance / 2);
    for (let i = 0; i < re.length; i++) {
      re[i] = s * this.normal();
      im[i] = s * this.normal();
    }
  }

  /** In-place Fisher–Yates shuffle of the first n entries of arr. */
  shuffle<T extends { length: number; [i: number]: unknown }>(arr: T): T {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = arr[i];
      arr[i] = arr[j];
      arr[j] = t;
    }
    return arr;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /**
   * Independent child stream named `label`. Depends only on this stream's key and the label,
   * not on how many numbers were drawn: `rng.child('W')` is the same stream whenever it is asked for.
   */
  child(label: string): Rng {
    const k = mix64(this.key ^ mix64(fnv1a64(label)));
    return new Rng(k, `${this.path}/${label}`);
  }

  /** JSON-safe snapshot of the full state. */
  snapshot(): RngSnapshot {
    let state = '';
    for (let i = 0; i < 8; i++) state += this.s[i]!.toString(16).padStart(8, '0');
    return { key: this.key.toString(16).padStart(16, '0'), path: this.path, state, spare: this.spare };
  }

  /** @internal restores state words (used by restoreRng). */
  setState(words: Uint32Array, spare: number | null): void {
    this.s.set(words);
    this.spare = spare;
  }
}

/** Largest seed accepted: seeds are integers in [0, 2^53 − 1]. */
export const MAX_SEED = Number.MAX_SAFE_INTEGER;

/**
 * New generator for an integer seed in [0, 2^53 − 1]. Same seed => identical stream on every JS engine
 * (integer arithmetic only; `normal()` uses Math.log/sqrt, which may differ in the last bit across engines).
 */
export function createRng(seed: number): Rng {
  if (!Number.isInteger(seed) || seed < 0 || seed > MAX_SEED) {
    throw new InputError('seed', `createRng: seed = ${describeValue(seed)}: must be an integer in [0, 2^53-1]`);
  }
  return new Rng(mix64(BigInt(seed) ^ 0x5eed5eed5eed5eedn), String(seed));
}

/** Resumes a generator from a {@link RngSnapshot}; the continuation is bit-identical. */
export function restoreRng(snap: RngSnapshot): Rng {
  if (typeof snap?.key !== 'string' || !/^[0-9a-f]{1,16}$/.test(snap.key) || typeof snap.state !== 'string' || !/^[0-9a-f]{64}$/.test(snap.state)) {
    throw new InputError('snapshot', `restoreRng: snapshot = ${describeValue(snap)}: expected {key: 16 hex digits, path, state: 64 hex digits, spare}`);
  }
  const r = new Rng(BigInt('0x' + snap.key), snap.path);
  const w = new Uint32Array(8);
  for (let i = 0; i < 8; i++) w[i] = parseInt(snap.state.slice(8 * i, 8 * i + 8), 16);
  r.setState(w, snap.spare);
  return r;
}
