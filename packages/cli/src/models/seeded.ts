import { mulberry32 } from 'tfjs-skip-data';

/**
 * Runs `build` with `Math.random` replaced by a seeded generator, so the
 * initial weights of a model whose layers take no `seed` (TF.js initializers
 * fall back to `Math.random`) are the same on every run with that seed.
 */
export function withSeededRandom<T>(seed: number, build: () => T): T {
  const original = Math.random;
  Math.random = mulberry32(seed);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}
