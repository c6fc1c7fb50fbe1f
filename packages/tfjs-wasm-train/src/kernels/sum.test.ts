import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

async function sumOn(
  backend: string,
  shape: number[],
  axis: number | number[] | undefined,
  keepDims: boolean,
  dtype: 'float32' | 'int32',
) {
  await useBackend(backend);
  const random = seededRandom(shape.length * 7 + (keepDims ? 1 : 0));
  const values = randomValues(
    random,
    shape.reduce((a, b) => a * b, 1),
  ).map((v) => (dtype === 'int32' ? Math.round(v * 9) : v));
  const x = tf.tensor(values, shape, dtype);
  const s = tf.sum(x, axis, keepDims);
  const result = { shape: s.shape, dtype: s.dtype, values: Array.from(await s.data()) };
  tf.dispose([x, s]);
  return result;
}

describe('Sum on wasm', () => {
  it.each([
    [[64, 7, 5, 16], [0, 1, 2], false],
    [[64, 7, 5, 16], [2, 0, 1], true],
    [[3, 10], 0, false],
    [[4, 5, 6], [0, 1], false],
    [[4, 5, 6], [1, 2], false],
    [[4, 5, 6], -1, true],
    [[4, 5, 6], undefined, false],
    [[4, 5, 6], [0, 2], false],
    [[100, 33, 7], [0, 1], false], // 3,300 rows (not a multiple of the 32-row blocks), 7 channels (a scalar tail)
    [[2, 3, 1, 40], [0, 1, 2], true],
  ] as [number[], number | number[] | undefined, boolean][])(
    'matches cpu, with and without the SIMD kernels: shape %j axis %j keepDims %s',
    async (shape, axis, keepDims) => {
      await withAndWithoutSimd(async (simd) => {
        for (const dtype of ['float32', 'int32'] as const) {
          const expected = await sumOn('cpu', shape, axis, keepDims, dtype);
          const actual = await sumOn('wasm', shape, axis, keepDims, dtype);
          expect(actual.shape).toEqual(expected.shape);
          expect(actual.dtype).toBe(expected.dtype);
          expectCloseRelative(
            actual.values,
            expected.values,
            1e-6,
            `${simd ? 'SIMD' : 'JS'} ${dtype} sum of [${shape}] over ${JSON.stringify(axis)}`,
          );
        }
      });
    },
  );

  it('allocates only its output', async () => {
    await useBackend('wasm');
    const x = tf.ones([8, 3, 3, 4]);
    const dataIds = tf.engine().backend.numDataIds();
    const s = tf.sum(x, [0, 1, 2]);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds + 1);
    expect(Array.from(s.dataSync())).toEqual([72, 72, 72, 72]);
    tf.dispose([x, s]);
  });
});
