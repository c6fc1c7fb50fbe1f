import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { useBackend } from './testing/conv_grads.js';

describe('importing tfjs-wasm-train after the wasm backend has started', () => {
  it('still trains, and the kernels it replaced keep working for the cases they leave to the backend', async () => {
    await useBackend('wasm');
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(Array.from(tf.sum(x, 1).dataSync())).toEqual([6, 15]); // the backend's own Sum, set up at start

    const { wasmTrainingKernelNames } = await import('./index.js');
    expect(wasmTrainingKernelNames).toContain('Conv2DBackpropFilter');
    expect(Array.from(tf.sum(x, 1).dataSync())).toEqual([6, 15]); // left to the backend's kernel by ours
    expect(Array.from(tf.sum(x, 0).dataSync())).toEqual([5, 7, 9]); // ours
    expect(Array.from(tf.mean(x, 1).dataSync())).toEqual([2, 5]);

    const images = tf.ones<tf.Rank.R4>([2, 6, 6, 3]);
    const filter = tf.ones<tf.Rank.R4>([3, 3, 3, 2]);
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'valid').sum(),
    )([images, filter]);
    expect(dw.dataSync()[0]).toBe(2 * 4 * 4); // every tap sees 2 images x 4 x 4 output positions of ones
    expect(dx.shape).toEqual([2, 6, 6, 3]);
    tf.dispose([x, images, filter, dx, dw]);
  });
});
