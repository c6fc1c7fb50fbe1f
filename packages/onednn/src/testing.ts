import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Test-only helpers: run the same computation on cpu and onednn, and compare. */

/** Deterministic values in [-1, 1) for a shape (no Math.random: the same on every backend and run). */
export function seeded(shape: number[], seed = 1): tf.Tensor {
  let s = seed >>> 0;
  const values = Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  });
  return tf.tensor(values, shape);
}

/** `compute()`'s results on the cpu backend and on onednn, as arrays. */
export async function onBoth(
  compute: () => tf.Tensor | tf.Tensor[],
): Promise<{ cpu: Float32Array[]; onednn: Float32Array[] }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    const out = tf.tidy(compute);
    const list = Array.isArray(out) ? out : [out];
    const values = await Promise.all(list.map(async (t) => Float32Array.from(await t.data())));
    tf.dispose(list);
    return values;
  };
  const cpu = await run('cpu');
  const onednn = await run('onednn');
  return { cpu, onednn };
}

/** The largest of `difference(actual[i], expected[i])` over the values, and where (NaN counts as largest). */
function worstOf(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  difference: (a: number, e: number) => number,
): { worst: number; at: number } {
  let worst = 0;
  let at = -1;
  for (let i = 0; i < expected.length; i++) {
    const d = difference(actual[i]!, expected[i]!);
    if (!(d <= worst)) [worst, at] = [d, i];
  }
  return { worst, at };
}

/** Every value within `tolerance` of the reference, relative with a max(1e-2, |ref|) denominator. */
export function expectClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = '',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const { worst, at } = worstOf(actual, expected, (a, e) =>
    Number.isNaN(e) && Number.isNaN(a) ? 0 : Math.abs(a - e) / Math.max(1e-2, Math.abs(e)),
  );
  expect(worst, `${what}: worst relative difference at ${at} (${actual[at]} vs ${expected[at]})`).toBeLessThanOrEqual(
    tolerance,
  );
}

/**
 * Every value within `tolerance` of the reference's scale (its largest
 * magnitude): the bound for a sum whose rounding depends on the magnitudes of
 * its terms, not of its result, as Winograd's transformed products do.
 */
export function expectCloseToScale(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tolerance: number,
  what = '',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  const scale = Array.from(expected).reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const { worst, at } = worstOf(actual, expected, (a, e) => Math.abs(a - e));
  expect(
    worst / scale,
    `${what}: worst difference ${worst} at ${at} (${actual[at]} vs ${expected[at]}), over the scale ${scale}`,
  ).toBeLessThanOrEqual(tolerance);
}
