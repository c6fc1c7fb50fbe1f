import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

async function meanOn(
  backend: string,
  shape: number[],
  axis: number | number[] | undefined,
  keepDims: boolean,
  dtype: 'float32' | 'int32',
) {
  await useBackend(backend);
  const random = seededRandom(shape.length * 13 + (keepDims ? 1 : 0));
  const values = randomValues(
    random,
    shape.reduce((a, b) => a * b, 1),
  ).map((v) => (dtype === 'int32' ? Math.round(v * 9) : v));
  const x = tf.tensor(values, shape, dtype);
  const m = tf.mean(x, axis, keepDims);
  const result = { shape: m.shape, dtype: m.dtype, values: Array.from(await m.data()) };
  tf.dispose([x, m]);
  return result;
}

describe('Mean on wasm', () => {
  it.each([
    [[16, 7, 5, 8], [0, 1, 2], false],
    [[16, 7, 5, 8], [0, 1, 2], true],
    [[3, 10], 0, false],
    [[4, 5, 6], [1, 0], false],
    [[4, 5, 6], [1, 2], true],
    [[4, 5, 6], undefined, false],
    [[4, 5, 6], [0, 2], false],
    [[100, 33, 7], [0, 1], false], // 3,300 rows (not a multiple of the 32-row blocks), 7 channels (a scalar tail)
    [[2, 3, 1, 40], [0, 1, 2], true],
  ] as [number[], number | number[] | undefined, boolean][])(
    'matches cpu, with and without the SIMD kernels: shape %j axis %j keepDims %s',
    async (shape, axis, keepDims) => {
      await withAndWithoutSimd(async (simd) => {
        for (const dtype of ['float32', 'int32'] as const) {
          const expected = await meanOn('cpu', shape, axis, keepDims, dtype);
          const actual = await meanOn('wasm', shape, axis, keepDims, dtype);
          expect(actual.shape).toEqual(expected.shape);
          expect(actual.dtype).toBe(expected.dtype);
          expectCloseRelative(
            actual.values,
            expected.values,
            1e-6,
            `${simd ? 'SIMD' : 'JS'} ${dtype} mean of [${shape}] over ${JSON.stringify(axis)}`,
          );
        }
      });
    },
  );

  it('gives batch-norm moments that match cpu', async () => {
    const moments = async (backend: string) => {
      await useBackend(backend);
      const x = tf.tensor4d(randomValues(seededRandom(5), 8 * 6 * 6 * 4), [8, 6, 6, 4]);
      const { mean, variance } = tf.moments(x, [0, 1, 2]);
      const result = [...(await mean.data()), ...(await variance.data())];
      tf.dispose([x, mean, variance]);
      return result;
    };
    expectCloseRelative(await moments('wasm'), await moments('cpu'), 1e-5, 'moments');
  });
});
