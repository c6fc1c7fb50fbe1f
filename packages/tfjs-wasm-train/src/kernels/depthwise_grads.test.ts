import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

interface DepthwiseCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number;
}

/** Input and filter gradients of sum(depthwiseConv2d(x, w) * r), together, on one backend. */
async function depthwiseGrads(backend: string, c: DepthwiseCase, seed: number): Promise<[Float32Array, Float32Array]> {
  await useBackend(backend);
  const random = seededRandom(seed);
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(random, size(c.x)), c.x);
  const w = tf.tensor4d(randomValues(random, size(c.filter)), c.filter);
  const conv = (a: tf.Tensor, b: tf.Tensor) => tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad);
  const outShape = conv(x, w).shape;
  const r = tf.tensor(randomValues(random, size(outShape)), outShape);
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(r).sum())([x, w]) as [tf.Tensor, tf.Tensor];
  const result: [Float32Array, Float32Array] = [(await dx.data()) as Float32Array, (await dw.data()) as Float32Array];
  tf.dispose([x, w, r, dx, dw]);
  return result;
}

describe('depthwise conv gradients on wasm (input and filter together)', () => {
  const cases: DepthwiseCase[] = [];
  for (const k of [1, 3, 5]) {
    for (const s of [1, 2, 3]) {
      for (const pad of ['same', 'valid', Math.floor(k / 2)] as const) {
        cases.push({
          x: [(k + s) % 2 ? 1 : 2, 11, 9, 3],
          filter: [k, k, 3, (k + s) % 3 === 0 ? 2 : 1],
          strides: s,
          pad,
        });
      }
    }
  }
  cases.push({ x: [2, 10, 7, 4], filter: [3, 2, 4, 3], strides: [2, 1], pad: 'same' });
  it.each(cases.map((c, i) => [JSON.stringify(c), c, i] as const))('matches cpu: %s', async (what, c, i) => {
    const [dxCpu, dwCpu] = await depthwiseGrads('cpu', c, i);
    const [dxWasm, dwWasm] = await depthwiseGrads('wasm', c, i);
    expectCloseRelative(dxWasm, dxCpu, 1e-5, `dx ${what}`);
    expectCloseRelative(dwWasm, dwCpu, 1e-5, `dw ${what}`);
  });

  it('trains a separable conv net on wasm without leaking', async () => {
    await useBackend('wasm');
    const model = tf.sequential({
      layers: [
        tf.layers.separableConv2d({
          inputShape: [10, 10, 3],
          filters: 8,
          kernelSize: 3,
          strides: 2,
          padding: 'same',
          activation: 'relu',
        }),
        tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2 }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const x = tf.tensor4d(randomValues(seededRandom(1), 8 * 10 * 10 * 3), [8, 10, 10, 3]);
    const y = tf.tensor2d(randomValues(seededRandom(2), 16), [8, 2]);
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    const history = await model.fit(x, y, { epochs: 10, verbose: 0 });
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    const losses = history.history.loss as number[];
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    tf.dispose([x, y]);
    model.dispose();
  });
});
