import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { avgPoolGradConfig } from './avg_pool_grad.js';
import { expectCloseRelative, useBackend } from '../testing/conv_grads.js';
import { type PoolCase, poolGrad } from '../testing/pool_grads.js';

const avgPool = (x: tf.Tensor4D, c: PoolCase) => tf.avgPool(x, c.size, c.strides, c.pad);

describe('AvgPoolGrad on wasm', () => {
  const cases: PoolCase[] = [
    { x: [4, 28, 28, 16], size: 1, strides: 2, pad: 'valid' }, // the zoo's zero-padding shortcut
    { x: [2, 7, 7, 6], size: 1, strides: 2, pad: 'valid' }, // odd size, channels not a multiple of 4
    { x: [1, 9, 11, 3], size: 2, strides: 2, pad: 'same' },
    { x: [2, 7, 7, 4], size: 3, strides: 2, pad: 'same' }, // overlapping windows, padding counted
    { x: [1, 8, 9, 2], size: 3, strides: 1, pad: 'valid' },
    { x: [3, 10, 6, 5], size: [2, 3], strides: [1, 2], pad: 'same' },
  ];
  it.each(cases.map((c, i) => [JSON.stringify(c), c, i] as const))(
    'matches cpu, with and without the SIMD kernels: %s',
    async (_, c, i) => {
      const expected = await poolGrad('cpu', c, i, avgPool);
      await withAndWithoutSimd(async (simd) => {
        const actual = await poolGrad('wasm', c, i, avgPool);
        expectCloseRelative(actual, expected, 1e-6, `${simd ? 'SIMD' : 'backend'} ${JSON.stringify(c)}`);
      });
    },
  );

  it("is this package's kernel on wasm, and leaves no tensor behind", async () => {
    expect(tf.getKernel('AvgPoolGrad', 'wasm')?.kernelFunc).toBe(avgPoolGradConfig.kernelFunc);
    await useBackend('wasm');
    const x = tf.randomNormal<tf.Rank.R4>([2, 6, 6, 4]);
    const step = () => tf.dispose(tf.grad((a: tf.Tensor) => tf.avgPool(a as tf.Tensor4D, 1, 2, 'valid').sum())(x));
    step();
    const before = tf.memory().numTensors;
    step();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });
});
