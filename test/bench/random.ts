/**
 * A small seeded random source for the workspace generator. The same seed
 * must give the same workspace on every machine and Node version, so this is
 * a fixed algorithm (sfc32, seeded through splitmix32) instead of
 * `Math.random`, and every helper draws a fixed number of values.
 */

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const NIX32 = '0123456789abcdfghijklmnpqrsvwxyz';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    const next = splitmix32(seed);
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 16; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /** Uniform integer in [min, max] (both included). */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)];
  }

  /** Up to `n` distinct items, in the order they were drawn. */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = items.slice();
    const out: T[] = [];
    for (let i = 0; i < n && copy.length > 0; i++) {
      const k = Math.floor(this.float() * copy.length);
      out.push(copy[k]);
      copy[k] = copy[copy.length - 1];
      copy.pop();
    }
    return out;
  }

  /** A standard normal value (Box-Muller; two draws). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A log-normal value with the given mean: most values near it, a long tail above. */
  around(mean: number, sigma = 0.6): number {
    return mean * Math.exp(sigma * this.normal() - (sigma * sigma) / 2);
  }

  private chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[this.u32() % alphabet.length];
    return s;
  }

  /** `sha256-...=` as in `hash = ` attributes. */
  sriSha256(): string {
    return `sha256-${this.chars(BASE64, 43)}=`;
  }

  /** `sha512-...==` as in node2nix sources. */
  sriSha512(): string {
    return `sha512-${this.chars(BASE64, 86)}==`;
  }

  /** A base-32 sha256 as in older `sha256 = "..."` attributes. */
  nix32Sha256(): string {
    return this.chars(NIX32, 52);
  }

  gitRev(): string {
    return this.chars(HEX, 40);
  }

  uuid(): string {
    return `${this.chars(HEX, 8)}-${this.chars(HEX, 4)}-${this.chars(HEX, 4)}-${this.chars(HEX, 4)}-${this.chars(HEX, 12)}`;
  }

  hex(n: number): string {
    return this.chars(HEX, n);
  }
}
