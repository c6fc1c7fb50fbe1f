import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { useBackend } from '../testing/conv_grads.js';

async function tileOn(backend: string, shape: number[], reps: number[], dtype: 'float32' | 'int32' | 'bool') {
  await useBackend(backend);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = Array.from({ length: size }, (_, i) => i * 7 - 11);
  const x = tf.tensor(dtype === 'bool' ? values.map((v) => v % 3 === 0) : values, shape, dtype);
  const y = tf.tile(x, reps);
  const result = { shape: y.shape, dtype: y.dtype, values: Array.from(await y.data()) };
  tf.dispose([x, y]);
  return result;
}

describe('Tile on wasm', () => {
  it.each([
    [
      [1, 1, 1, 5],
      [2, 3, 4, 1],
    ],
    [
      [2, 3],
      [3, 2],
    ],
    [[3], [4]],
    [
      [2, 1, 3],
      [1, 5, 2],
    ],
    [
      [2, 2, 2, 2, 2],
      [1, 2, 1, 3, 1],
    ],
    [
      [2, 3],
      [1, 1],
    ],
    [
      [2, 3],
      [0, 2],
    ],
    [
      [4, 1],
      [1, 7],
    ],
  ])('matches cpu: shape %j reps %j', async (shape, reps) => {
    for (const dtype of ['float32', 'int32', 'bool'] as const) {
      const expected = await tileOn('cpu', shape, reps, dtype);
      const actual = await tileOn('wasm', shape, reps, dtype);
      expect(actual, dtype).toEqual(expected);
    }
  });

  it('quotes reps that do not fit the shape', async () => {
    await useBackend('wasm');
    const x = tf.ones([2, 3]);
    expect(() => tf.engine().runKernel('Tile', { x }, { reps: [2] })).toThrow(
      /reps must be 2 non-negative integers for shape \[2,3\]; received \[2\]/,
    );
    const s = tf.tensor(['a', 'b']);
    expect(() => tf.tile(s, [2])).toThrow(/supports float32, int32 and bool tensors; received string of shape \[2\]/);
    tf.dispose([x, s]);
  });
});
