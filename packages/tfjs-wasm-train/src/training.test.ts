import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import './index.js';
import { randomValues, seededRandom, useBackend } from './testing/conv_grads.js';

/** Conv (+bias, relu), batch norm, max and average pooling, strided conv, global pooling, dropout, dense. */
function smallConvNet(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [12, 12, 3],
        filters: 8,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.batchNormalization(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({
        filters: 12,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: init(2),
      }),
      tf.layers.averagePooling2d({ poolSize: 2, padding: 'same' }),
      tf.layers.conv2d({ filters: 16, kernelSize: 1, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 16, activation: 'relu', kernelInitializer: init(4) }),
      tf.layers.dropout({ rate: 0.25, seed: 5 }),
      tf.layers.dense({ units: 4, kernelInitializer: init(6) }),
    ],
  });
}

/** Four classes: which quadrant of the image is bright. */
function quadrantData(n: number): { x: tf.Tensor4D; y: tf.Tensor2D; labels: tf.Tensor1D } {
  const random = seededRandom(11);
  const values = randomValues(random, n * 12 * 12 * 3).map((v) => v * 0.3);
  const labels = Array.from({ length: n }, (_, i) => i % 4);
  for (let i = 0; i < n; i++) {
    const [r0, c0] = [Math.floor(labels[i] / 2) * 6, (labels[i] % 2) * 6];
    for (let r = r0; r < r0 + 6; r++) for (let c = c0; c < c0 + 6; c++) values[((i * 12 + r) * 12 + c) * 3] += 1;
  }
  const labelTensor = tf.tensor1d(labels, 'int32');
  return { x: tf.tensor4d(values, [n, 12, 12, 3]), y: tf.oneHot(labelTensor, 4) as tf.Tensor2D, labels: labelTensor };
}

describe('training a small conv net on wasm', () => {
  it.each([
    ['momentum SGD, softmax cross-entropy from logits', () => tf.train.momentum(0.05, 0.9), 'logits'],
    ['Adam, sparse categorical cross-entropy', () => tf.train.adam(0.01), 'sparse'],
  ] as const)('%s: loss falls and no tensors accumulate', async (_, optimizer, lossKind) => {
    await useBackend('wasm');
    const model = smallConvNet();
    const { x, y, labels } = quadrantData(32);
    const softmaxOut = lossKind === 'sparse';
    if (softmaxOut) model.add(tf.layers.softmax());
    model.compile({
      optimizer: optimizer(),
      loss: softmaxOut
        ? 'sparseCategoricalCrossentropy'
        : (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    });
    const target = softmaxOut ? labels.cast('float32') : y;
    await model.fit(x, target, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    const tensors = tf.memory().numTensors;
    const history = await model.fit(x, target, { epochs: 8, batchSize: 16, shuffle: false, verbose: 0 });
    expect(tf.memory().numTensors).toBe(tensors);
    const losses = history.history.loss as number[];
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1], `losses ${losses.map((l) => l.toFixed(3))}`).toBeLessThan(losses[0] * 0.8);
    tf.dispose([x, y, labels, target]);
    model.dispose();
  });
});
