import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import './index.js';
import { type ConvCase, expectGradsMatchCpu, seededRandom, useBackend } from './testing/conv_grads.js';

describe('conv2d gradients on wasm (tf.grads for input and filter together)', () => {
  const fixed: ConvCase[] = [
    { x: [1, 9, 9, 3], filter: [1, 1, 3, 8], strides: 1, pad: 'valid' },
    { x: [2, 11, 11, 4], filter: [3, 3, 4, 6], strides: 1, pad: 'same' },
    { x: [2, 13, 9, 3], filter: [5, 5, 3, 2], strides: 2, pad: 'same' },
    { x: [1, 15, 15, 2], filter: [7, 7, 2, 5], strides: 3, pad: 'valid' },
    { x: [2, 10, 12, 8], filter: [1, 1, 8, 4], strides: 2, pad: 'same' },
    { x: [1, 9, 7, 3], filter: [3, 3, 3, 3], strides: 2, pad: 1 },
    { x: [2, 9, 8, 3], filter: [3, 5, 3, 4], strides: [2, 1], pad: 'same' },
    {
      x: [1, 10, 9, 2],
      filter: [3, 3, 2, 3],
      strides: 2,
      pad: [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ],
    },
  ];
  it.each(fixed.map((c, i) => [i, c] as const))('case %i matches cpu', async (i, c) => {
    await expectGradsMatchCpu(c, 100 + i, 1e-4);
  });

  it('matches cpu on 25 random shapes (seeded)', async () => {
    const random = seededRandom(2024);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    for (let i = 0; i < 25; i++) {
      const k = pick([1, 2, 3, 4, 5, 7]);
      const s = pick([1, 2, 3]);
      const pad = pick(['same', 'valid'] as const);
      const h = k + Math.floor(random() * 10);
      const w = k + Math.floor(random() * 10);
      const c: ConvCase = {
        x: [pick([1, 2, 3]), h, w, pick([1, 2, 3, 5])],
        filter: [k, pick([1, k]), 0, pick([1, 4, 6])],
        strides: [s, pick([1, s])],
        pad,
      };
      c.filter[2] = c.x[3];
      await expectGradsMatchCpu(c, i, 1e-4);
    }
  });

  it('leaves no tensors or heap buffers behind', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal<tf.Rank.R4>([2, 10, 10, 3]);
    const w = tf.randomNormal<tf.Rank.R4>([3, 3, 3, 4]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same')
        .square()
        .sum();
    const step = () => tf.dispose(tf.grads(f)([x, w]));
    step(); // warm-up
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose([x, w]);
  });
});
