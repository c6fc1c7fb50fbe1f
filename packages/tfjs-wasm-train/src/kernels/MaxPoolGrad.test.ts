import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

interface PoolCase {
  x: [number, number, number, number];
  size: number | [number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid';
}

/** Gradient of sum(maxPool(relu(x)) * r): relu makes ties (zeros) that must go to the first maximum. */
async function poolGrad(backend: string, c: PoolCase, seed: number): Promise<Float32Array> {
  await useBackend(backend);
  const random = seededRandom(seed);
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(
    randomValues(random, size(c.x)).map((v) => Math.round(v * 3) / 3),
    c.x,
  );
  const outShape = tf.maxPool(x, c.size, c.strides, c.pad).shape;
  const r = tf.tensor(randomValues(random, size(outShape)), outShape);
  const dx = tf.grad((a: tf.Tensor) =>
    tf
      .maxPool(tf.relu(a as tf.Tensor4D), c.size, c.strides, c.pad)
      .mul(r)
      .sum(),
  )(x);
  const values = (await dx.data()) as Float32Array;
  tf.dispose([x, r, dx]);
  return values;
}

describe('MaxPoolGrad on wasm', () => {
  const cases: PoolCase[] = [
    { x: [2, 28, 28, 5], size: 3, strides: 3, pad: 'valid' },
    { x: [1, 9, 11, 3], size: 2, strides: 2, pad: 'same' },
    { x: [2, 7, 7, 4], size: 3, strides: 2, pad: 'same' },
    { x: [1, 8, 9, 2], size: 3, strides: 1, pad: 'valid' },
    { x: [3, 10, 6, 1], size: [2, 3], strides: [1, 2], pad: 'same' },
    { x: [2, 9, 9, 16], size: 3, strides: 2, pad: 'same' }, // overlapping windows, four SIMD lanes at a time
  ];
  it.each(cases.map((c, i) => [JSON.stringify(c), c, i] as const))(
    'matches cpu, ties included, with and without the SIMD kernels: %s',
    async (_, c, i) => {
      const expected = await poolGrad('cpu', c, i);
      await withAndWithoutSimd(async (simd) => {
        const actual = await poolGrad('wasm', c, i);
        expectCloseRelative(actual, expected, 1e-6, `${simd ? 'SIMD' : 'JS'} ${JSON.stringify(c)}`);
      });
    },
  );

  it('frees nothing it should keep and keeps nothing it should free', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal<tf.Rank.R4>([2, 6, 6, 3]);
    const step = () => tf.dispose(tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').sum())(x));
    step();
    const dataIds = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    step();
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    expect(tf.memory().numTensors).toBe(tensors);
    x.dispose();
  });
});
