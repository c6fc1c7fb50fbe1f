/**
 * Mulberry32 (Tommy Ettinger's 32-bit generator): a seeded source of uniform
 * numbers in [0, 1), tiny and fast, for reproducible shuffles; not for
 * cryptography. The same seed gives the same sequence on every platform.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
