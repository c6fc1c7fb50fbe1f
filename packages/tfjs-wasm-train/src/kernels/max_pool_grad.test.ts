import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { expectCloseRelative, useBackend } from '../testing/conv_grads.js';
import { type PoolCase, poolGrad } from '../testing/pool_grads.js';

/** maxPool(relu(x)) on x rounded to thirds: relu and the rounding make ties, which go to the first maximum. */
const maxPoolOfRelu = (x: tf.Tensor4D, c: PoolCase) => tf.maxPool(tf.relu(x), c.size, c.strides, c.pad);
const thirds = (v: number) => Math.round(v * 3) / 3;

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
      const expected = await poolGrad('cpu', c, i, maxPoolOfRelu, thirds);
      await withAndWithoutSimd(async (simd) => {
        const actual = await poolGrad('wasm', c, i, maxPoolOfRelu, thirds);
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
