/**
 * The SkipConnection configurations every suite runs the layer contract on:
 * the Node suite (`src/skip_connection.test.ts`) and the browser suite
 * (`playground/browser-tests`).
 */
import * as tf from '@tensorflow/tfjs';
import { skipConnection } from '../skip_connection.js';
import type { LayerContract } from './layer_contract.js';

const dense = (units: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
  tf.layers.dense({ units, ...extra });

/** Named SkipConnection configurations with their expected counts, for {@link checkLayerContract}. */
export const SKIP_CONNECTION_CONTRACTS: Array<[string, LayerContract]> = [
  [
    'add, identity skip',
    {
      makeLayer: () => skipConnection({ mainPath: [dense(6, { activation: 'relu' }), dense(5)] }),
      inputShape: [5],
      params: 36 + 35,
      trainableWeights: 4,
      nonTrainableWeights: 0,
    },
  ],
  ['concat', { makeLayer: () => skipConnection({ mainPath: dense(3), how: 'concat' }), inputShape: [5], params: 18 }],
  [
    'projection skip, multiply',
    {
      makeLayer: () =>
        skipConnection({ mainPath: [dense(4)], skipPath: [dense(4, { useBias: false })], how: 'multiply' }),
      inputShape: [6],
      params: 28 + 24,
    },
  ],
  ['average', { makeLayer: () => skipConnection({ mainPath: dense(5), how: 'average' }), inputShape: [5] }],
  [
    'nested (U-Net style)',
    {
      makeLayer: () =>
        skipConnection({
          mainPath: [dense(4), skipConnection({ mainPath: [dense(3), dense(4)], how: 'add' }), dense(2)],
          skipPath: dense(2),
          how: 'concat',
        }),
      inputShape: [3],
      params: 16 + (15 + 16) + 10 + 8,
    },
  ],
  [
    'BatchNorm conv block',
    {
      makeLayer: () =>
        skipConnection({
          mainPath: [
            tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false }),
            tf.layers.batchNormalization(),
            tf.layers.reLU(),
          ],
          skipPath: [tf.layers.conv2d({ filters: 4, kernelSize: 1, useBias: false })],
        }),
      inputShape: [5, 5, 2],
      trainableWeights: 4,
      nonTrainableWeights: 2,
      trainingDiffers: true,
    },
  ],
  [
    'Dropout',
    {
      makeLayer: () => skipConnection({ mainPath: [dense(8), tf.layers.dropout({ rate: 0.5 })] }),
      inputShape: [8],
      trainingDiffers: true,
      skipGradientCheck: false,
    },
  ],
  [
    'frozen',
    {
      makeLayer: () => skipConnection({ mainPath: [dense(4), tf.layers.batchNormalization()], trainable: false }),
      inputShape: [4],
      trainableWeights: 0,
      nonTrainableWeights: 6,
      trainingDiffers: true,
    },
  ],
  [
    'a built LayersModel as mainPath',
    {
      makeLayer: () =>
        skipConnection({
          mainPath: tf.sequential({ layers: [dense(3, { inputShape: [3], activation: 'tanh' }), dense(3)] }),
        }),
      inputShape: [3],
      params: 24,
    },
  ],
];
