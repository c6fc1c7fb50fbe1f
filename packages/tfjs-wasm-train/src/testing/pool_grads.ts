import * as tf from '@tensorflow/tfjs';
import { randomValues, seededRandom, useBackend } from './conv_grads.js';

/** Test-only: a 2D pool's input shape, window, strides and padding. */
export interface PoolCase {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

/**
 * The gradient of sum(pool(x) * r) with respect to x on `backend`, x and r
 * seeded (`value` maps x's values, e.g. to make ties).
 */
export async function poolGrad(
  backend: string,
  c: PoolCase,
  seed: number,
  pool: (x: tf.Tensor4D, c: PoolCase) => tf.Tensor4D,
  value: (v: number) => number = (v) => v,
): Promise<Float32Array> {
  await useBackend(backend);
  const random = seededRandom(seed);
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(random, size(c.x)).map(value), c.x);
  const outShape = pool(x, c).shape;
  const r = tf.tensor(randomValues(random, size(outShape)), outShape);
  const dx = tf.grad((a: tf.Tensor) =>
    pool(a as tf.Tensor4D, c)
      .mul(r)
      .sum(),
  )(x);
  const values = (await dx.data()) as Float32Array;
  tf.dispose([x, r, dx]);
  return values;
}
