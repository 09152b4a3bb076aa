import { mulberry32 } from '@stride/shared';

/**
 * Seeded pseudo-random numbers for the demo organisation: the same seed gives the same sequence
 * on every machine (mulberry32, 32-bit state; plenty for demo data, not for cryptography).
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max] (inclusive). */
  int(min: number, max: number): number;
  /** True with probability `p` (0..1). */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** One element, chosen with the given non-negative weights. */
  weighted<T>(items: readonly T[], weights: readonly number[]): T;
  /** Standard normal (mean 0, sd 1), Box-Muller. */
  normal(): number;
  /** Log-normal with the given median and log-space sd: `median * exp(sigma * N(0,1))`. */
  logNormal(median: number, sigma: number): number;
  /** Poisson-distributed count with mean `lambda` (Knuth; lambda is small here). */
  poisson(lambda: number): number;
  /** `length` lowercase hex characters. */
  hex(length: number): string;
}

/** Creates a seeded generator; `seed` is any integer. */
export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const normal = (): number => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    weighted: (items, weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let r = next() * total;
      for (let i = 0; i < items.length; i++) {
        r -= weights[i]!;
        if (r < 0) return items[i]!;
      }
      return items[items.length - 1]!;
    },
    normal,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    hex: (length) => {
      let out = '';
      while (out.length < length)
        out += Math.floor(next() * 0x100000000)
          .toString(16)
          .padStart(8, '0');
      return out.slice(0, length);
    },
  };
}
