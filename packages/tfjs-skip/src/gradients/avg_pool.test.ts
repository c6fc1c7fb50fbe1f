import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { runPython } from '../../test/keras/python.js';
import { windowScale } from './avg_pool.js';
import './avg_pool.js';

/**
 * An average pool as TensorFlow defines it, from ops whose gradients are right: the sum of the window's
 * input cells (a depthwise convolution with a kernel of ones, zero padding) over how many it covers.
 */
function referencePool(x: tf.Tensor4D, size: [number, number], strides: [number, number], pad: 'same' | 'valid') {
  const ones = tf.ones([...size, x.shape[3], 1]) as tf.Tensor4D;
  const sum = tf.depthwiseConv2d(x, ones, strides, pad);
  const covered = tf.depthwiseConv2d(tf.onesLike(x), ones, strides, pad);
  return tf.div(sum, covered);
}

function seeded(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

describe("average pool gradient (TensorFlow's: over the cells a window covers)", () => {
  it('a 3x3 same pool: the corner output spreads its gradient over the 4 cells it averaged, not 9', () => {
    const x = tf.zeros([1, 3, 3, 1]);
    const dx = tf.grad((xx: tf.Tensor) =>
      tf
        .avgPool(xx as tf.Tensor4D, 3, 1, 'same')
        .slice([0, 0, 0, 0], [1, 1, 1, 1])
        .sum(),
    )(x);
    expect(Array.from(dx.dataSync())).toEqual([0.25, 0.25, 0, 0.25, 0.25, 0, 0, 0, 0]);
  });

  const cases: { size: [number, number]; strides: [number, number]; shape: number[]; note: string }[] = [
    { size: [3, 3], strides: [1, 1], shape: [2, 5, 6, 3], note: "NASNet's and Inception's pools" },
    { size: [3, 3], strides: [2, 2], shape: [2, 6, 6, 2], note: 'TF pads 0 before, 1 after' },
    { size: [2, 3], strides: [2, 1], shape: [1, 7, 5, 2], note: 'a window of two shapes' },
    { size: [5, 5], strides: [3, 2], shape: [1, 7, 9, 1], note: 'padding on both sides' },
  ];
  for (const { size, strides, shape, note } of cases) {
    it(`${size.join('x')} window, strides ${strides.join('x')} (${note}): as the reference, 'same' and 'valid'`, () => {
      for (const pad of ['same', 'valid'] as const) {
        const x = seeded(shape, 1) as tf.Tensor4D;
        const weights = seeded(tf.avgPool(x, size, strides, pad).shape, 2);
        const loss = (pool: (xx: tf.Tensor4D) => tf.Tensor) => (xx: tf.Tensor) =>
          tf.sum(tf.mul(pool(xx as tf.Tensor4D), weights));
        const ours = tf.grad(loss((xx) => tf.avgPool(xx, size, strides, pad)))(x);
        const reference = tf.grad(loss((xx) => referencePool(xx, size, strides, pad)))(x);
        expect(tf.max(tf.abs(tf.sub(ours, reference))).dataSync()[0], pad).toBeLessThan(1e-6);
      }
    });
  }

  it("'valid' keeps tfjs-core's gradient bit for bit (the AvgPoolGrad kernel on dy unscaled)", () => {
    const x = seeded([2, 6, 6, 3], 3) as tf.Tensor4D;
    const dy = seeded([2, 2, 2, 3], 4) as tf.Tensor4D;
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(xx as tf.Tensor4D, 3, 2, 'valid'), dy)))(x);
    const kernel = tf
      .engine()
      .runKernel(tf.AvgPoolGrad, { dy, input: x }, { filterSize: 3, strides: 2, pad: 'valid' }) as tf.Tensor;
    expect(Array.from(dx.dataSync())).toEqual(Array.from(kernel.dataSync()));
  });

  it('a 3D same pool: as the reference (a conv3d with a kernel of ones)', () => {
    const x = seeded([1, 4, 5, 3, 2], 5) as tf.Tensor5D;
    const ones = tf.ones([3, 3, 3, 1, 1]) as tf.Tensor5D;
    const perChannel = (xx: tf.Tensor5D, channel: number) => xx.slice([0, 0, 0, 0, channel], [-1, -1, -1, -1, 1]);
    const reference = (xx: tf.Tensor5D) => {
      const sums = [0, 1].map((channel) => tf.conv3d(perChannel(xx, channel), ones, 2, 'same'));
      const covered = tf.conv3d(tf.onesLike(perChannel(xx, 0)), ones, 2, 'same');
      return tf.div(tf.concat(sums, 4), covered);
    };
    const weights = seeded(tf.avgPool3d(x, 3, 2, 'same').shape, 6);
    const loss = (pool: (xx: tf.Tensor5D) => tf.Tensor) => (xx: tf.Tensor) =>
      tf.sum(tf.mul(pool(xx as tf.Tensor5D), weights));
    const ours = tf.grad(loss((xx) => tf.avgPool3d(xx, 3, 2, 'same')))(x);
    const expected = tf.grad(loss(reference))(x);
    expect(tf.max(tf.abs(tf.sub(ours, expected))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('windowScale: size over covered cells per output, null when no window reaches the padding', () => {
    // 3 cells, window 3, stride 1, one cell of padding each side: the end windows cover 2.
    expect(windowScale([{ out: 3, stride: 1, size: 3, before: 1, length: 3 }])).toEqual([1.5, 1, 1.5]);
    expect(windowScale([{ out: 2, stride: 2, size: 2, before: 0, length: 4 }])).toBeNull();
  });

  it('leaks no tensors', () => {
    const x = seeded([1, 5, 5, 2], 7) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    tf.grad((xx: tf.Tensor) => tf.avgPool(xx as tf.Tensor4D, 3, 1, 'same').sum())(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe("average pool gradient: Keras's (TensorFlow's), computed by Keras", () => {
  interface KerasCase {
    pool: number[];
    strides: number[];
    padding: 'same' | 'valid';
    shape: number[];
    x: number[];
    weights: number[];
    weightsShape: number[];
    grad: number[];
  }
  let cases: KerasCase[] = [];
  beforeAll(() => {
    cases = runPython('avg_pool_grad.py', []) as KerasCase[];
  }, 120_000);

  it('AveragePooling2D and 3D, same and valid: the gradient Keras takes', () => {
    expect(cases.length).toBe(5);
    for (const c of cases) {
      const x = tf.tensor(c.x, c.shape);
      const weights = tf.tensor(c.weights, c.weightsShape);
      const pool = (xx: tf.Tensor) =>
        c.pool.length === 2
          ? tf.avgPool(xx as tf.Tensor4D, c.pool as [number, number], c.strides as [number, number], c.padding)
          : tf.avgPool3d(
              xx as tf.Tensor5D,
              c.pool as [number, number, number],
              c.strides as [number, number, number],
              c.padding,
            );
      const ours = tf
        .grad((xx: tf.Tensor) => tf.sum(tf.mul(pool(xx), weights)))(x)
        .dataSync();
      const worst = c.grad.reduce((most, expected, i) => Math.max(most, Math.abs(ours[i] - expected)), 0);
      expect(worst, `${c.pool.join('x')} ${c.padding} on ${c.shape.join('x')}`).toBeLessThan(1e-6);
    }
  });
});
