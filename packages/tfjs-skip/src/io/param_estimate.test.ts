import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { assertParameterBudget, estimateParameters } from './param_estimate.js';

const topologyOf = (model: tf.LayersModel) => model.toJSON(null, false) as object;

describe('estimateParameters', () => {
  it.each([
    [
      'Dense',
      () =>
        tf.sequential({
          layers: [tf.layers.dense({ units: 7, inputShape: [5] }), tf.layers.dense({ units: 3, useBias: false })],
        }),
    ],
    [
      'Conv2D, pooling, Flatten, Dense',
      () =>
        tf.sequential({
          layers: [
            tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [9, 9, 2] }),
            tf.layers.maxPooling2d({ poolSize: 2 }),
            tf.layers.conv2d({ filters: 5, kernelSize: [2, 3], strides: 2, padding: 'same' }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 3 }),
          ],
        }),
    ],
    [
      'BatchNormalization and LayerNormalization',
      () =>
        tf.sequential({
          layers: [
            tf.layers.batchNormalization({ inputShape: [6] }),
            tf.layers.layerNormalization(),
            tf.layers.dense({ units: 2 }),
          ],
        }),
    ],
    [
      'Embedding',
      () =>
        tf.sequential({
          layers: [
            tf.layers.embedding({ inputDim: 50, outputDim: 4, inputShape: [3] }),
            tf.layers.flatten(),
            tf.layers.dense({ units: 2 }),
          ],
        }),
    ],
    [
      'nested SkipConnections with a concat and a projection',
      () =>
        tf.sequential({
          layers: [
            skipConnection({
              inputShape: [6],
              mainPath: [skipConnection({ mainPath: [tf.layers.dense({ units: 6 })] }), tf.layers.dense({ units: 4 })],
              skipPath: tf.layers.dense({ units: 4 }),
            }),
            skipConnection({
              how: 'concat',
              mainPath: [tf.layers.dense({ units: 3 }), tf.layers.batchNormalization()],
            }),
            tf.layers.dense({ units: 2 }),
          ],
        }),
    ],
    [
      'a functional model',
      () => {
        const input = tf.input({ shape: [5] });
        const h = tf.layers.dense({ units: 8 }).apply(input) as tf.SymbolicTensor;
        const out = tf.layers
          .dense({ units: 2 })
          .apply(tf.layers.activation({ activation: 'relu' }).apply(h)) as tf.SymbolicTensor;
        return tf.model({ inputs: input, outputs: out });
      },
    ],
  ])('is exact for %s', (_name, make) => {
    const model = make();
    expect(estimateParameters(topologyOf(model))).toBe(model.countParams());
    model.dispose();
  });

  it.each([
    ['Conv2DTranspose', () => tf.layers.conv2dTranspose({ filters: 3, kernelSize: 3, inputShape: [6, 6, 2] })],
    ['DepthwiseConv2D', () => tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [6, 6, 3] })],
    // tfjs 4.22 does not save SeparableConv2D's depthMultiplier
    ['SeparableConv2D', () => tf.layers.separableConv2d({ filters: 4, kernelSize: 3, inputShape: [6, 6, 3] })],
    ['SimpleRNN', () => tf.layers.simpleRNN({ units: 5, inputShape: [4, 3] })],
    ['GRU', () => tf.layers.gru({ units: 5, inputShape: [4, 3] })],
    ['LSTM', () => tf.layers.lstm({ units: 5, inputShape: [4, 3], returnSequences: true })],
    ['TimeDistributed', () => tf.layers.timeDistributed({ layer: tf.layers.dense({ units: 4 }), inputShape: [3, 6] })],
    ['Bidirectional', () => tf.layers.bidirectional({ layer: tf.layers.lstm({ units: 4 }), inputShape: [3, 6] })],
  ])('is exact for %s, and for a Dense after it', (_name, make) => {
    const model = tf.sequential({ layers: [make(), tf.layers.dense({ units: 2 })] });
    const estimate = estimateParameters(topologyOf(model));
    const dense = model.layers[1].countParams();
    expect(estimate).toBeLessThanOrEqual(model.countParams());
    expect(estimate).toBeGreaterThanOrEqual(model.countParams() - dense); // the layer itself is exact
    model.dispose();
  });

  it('is a lower bound when a layer it does not know hides the shape', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3] }),
        tf.layers.repeatVector({ n: 2 }),
        tf.layers.dense({ units: 5 }),
      ],
    });
    const estimate = estimateParameters(topologyOf(model));
    expect(estimate).toBeLessThan(model.countParams());
    expect(estimate).toBe(16 + (1 * 5 + 5)); // unknown input width counts as 1
    model.dispose();
  });

  it('reads Keras snake_case configs and a model_config wrapper', () => {
    const topology = {
      model_config: {
        class_name: 'Sequential',
        config: {
          layers: [{ class_name: 'Dense', config: { units: 10, use_bias: false, batch_input_shape: [null, 1000] } }],
        },
      },
    };
    expect(estimateParameters(topology)).toBe(10_000);
  });

  it('refuses hyperparameters over the budget before anything is built', () => {
    const dense = (units: number) => ({
      className: 'Sequential',
      config: { layers: [{ className: 'Dense', config: { units, batchInputShape: [null, 4] } }] },
    });
    expect(() => assertParameterBudget(dense(1e9), 2 ** 28, 'm.json')).toThrow(
      expect.objectContaining({
        problem: 'too-many-params',
        message: expect.stringContaining('5000000000') as unknown,
      }),
    );
    expect(() => assertParameterBudget(dense(10), 50, 'm.json')).not.toThrow();
    expect(() => assertParameterBudget(dense(10), 49, 'm.json')).toThrow(
      expect.objectContaining({ problem: 'too-many-params' }),
    );
    // Not a number: TF.js refuses it at build.
    expect(() => assertParameterBudget(dense(Infinity), 2 ** 28, 'm.json')).not.toThrow();
  });
});
