import { mulberry32 } from './mulberry32.js';

/**
 * A random permutation of `0 .. n-1` (Fisher-Yates driven by `mulberry32`),
 * the same for the same `seed`. Use a different seed per epoch, such as
 * `seed + epoch`, to reshuffle each epoch reproducibly.
 *
 * @example
 * ```ts
 * import { permutation } from 'tfjs-skip-data';
 * [...permutation(5, 1)]; // => [4, 2, 1, 0, 3]
 * [...permutation(5, 1)]; // => [4, 2, 1, 0, 3]
 * ```
 */
export function permutation(n: number, seed: number): Uint32Array {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`permutation: n must be a whole number >= 0, but received ${n}`);
  if (!Number.isInteger(seed)) throw new RangeError(`permutation: seed must be an integer, but received ${seed}`);
  const random = mulberry32(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}
