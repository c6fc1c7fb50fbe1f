import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { denseBlock } from './index.js';

describe('denseBlock', () => {
  it.each([
    ['a dense layer', { layers: 1, growthRate: 3 }, 4 * 4 + 9 * 4 * 3, 3, 2],
    [
      'a bottleneck dense layer (DenseNet-B)',
      { layers: 1, growthRate: 3, bottleneck: true },
      4 * 4 + 4 * 12 + 4 * 12 + 9 * 12 * 3,
      6,
      4,
    ],
  ] as const)('%s passes the layer contract', async (_name, args, params, trainable, nonTrainable) => {
    await checkLayerContract({
      makeLayer: () => denseBlock({ ...args })[0],
      inputShape: [5, 5, 4],
      params,
      trainableWeights: trainable,
      nonTrainableWeights: nonTrainable,
      trainingDiffers: true,
    });
  });

  it('concatenates: each layer adds growthRate channels and keeps its input as is', () => {
    const layers = denseBlock({ layers: 3, growthRate: 5 });
    expect(layers.every((l) => l instanceof SkipConnection && l.how === 'concat')).toBe(true);
    const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [4, 4, 2] }), ...layers] });
    expect(model.outputShape).toEqual([null, 4, 4, 2 + 3 * 5]);
    const x = tf.randomNormal([1, 4, 4, 2]);
    const y = model.predict(x) as tf.Tensor;
    // concat order is [new features, input]: the input is the last 2 channels, untouched.
    expect(tf.max(tf.abs(tf.sub(y.slice([0, 0, 0, 15], [1, 4, 4, 2]), x))).dataSync()[0]).toBe(0);
  });

  it('adds Dropout after each convolution when asked', () => {
    const [layer] = denseBlock({ layers: 1, growthRate: 2, bottleneck: true, dropRate: 0.2 }) as [SkipConnection];
    expect(layer.mainPath.map((l) => l.getClassName())).toEqual([
      'BatchNormalization',
      'ReLU',
      'Conv2D',
      'Dropout',
      'BatchNormalization',
      'ReLU',
      'Conv2D',
      'Dropout',
    ]);
  });

  it('refuses bad arguments, quoting them', () => {
    expect(() => denseBlock({ layers: 0, growthRate: 12 })).toThrow(
      /denseBlock layers must be a positive integer, but received 0/,
    );
  });
});
