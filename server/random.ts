// Deterministic pseudo-random numbers, so that a seed always yields the same organization.

/** 32-bit FNV-1a hash of a string: turns any seed text into a PRNG state. */
export function hashSeed(seed: string | number): number {
  const text = String(seed);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast and good enough for test data (not for secrets). */
export class Random {
  private state: number;

  constructor(seed: string | number) {
    this.state = hashSeed(seed);
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Built from char codes in one go: concatenating character by character leaves V8 "cons strings"
// that cost kilobytes per member at 100,000 members.
function stringFrom(random: Random, alphabet: string, length: number): string {
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) codes[i] = alphabet.charCodeAt(random.int(alphabet.length));
  return String.fromCharCode(...codes);
}

/** A Zulip-style API key: 32 letters and digits. */
export function apiKeyFrom(random: Random): string {
  return stringFrom(random, ALPHANUMERIC, 32);
}

export function hexFrom(random: Random, length: number): string {
  return stringFrom(random, '0123456789abcdef', length);
}
