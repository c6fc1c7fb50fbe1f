/**
 * The models of the PyTorch fixtures in this folder (see
 * `../shared/fixtures/README.md`), built with tfjs-skip, for the Node suite
 * (`src/fixtures.test.ts`) and the browser suite (`playground/browser-tests`).
 */
import * as tf from '@tensorflow/tfjs';
import { skipConnection } from '../src/skip_connection.js';

export interface NamedArray {
  name: string;
  shape: number[];
  data: number[];
}

export interface Fixture {
  architecture?: string;
  params: number;
  weights: NamedArray[];
  input: NamedArray;
  output: NamedArray;
  outputTraining?: NamedArray;
  labels?: number[];
  loss?: number;
  grads?: NamedArray[];
}

export const FIXTURE_NAMES = ['seed000-add', 'seed000-concat', 'toy-resnet', 'resnet-block-bn'] as const;
export type FixtureName = (typeof FIXTURE_NAMES)[number];

const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
  tf.layers.conv2d({ filters, kernelSize: 3, ...extra });

function seed(how: 'add' | 'concat'): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 30, inputShape: [50] }),
      skipConnection({ mainPath: [tf.layers.dense({ units: 15 }), tf.layers.dense({ units: 30 })], how }),
    ],
  });
}

/** Each fixture's `architecture`, as tfjs-skip code. */
export const FIXTURE_MODELS: Record<FixtureName, () => tf.Sequential> = {
  'seed000-add': () => seed('add'),
  'seed000-concat': () => seed('concat'),
  'toy-resnet': () => {
    const block = () => skipConnection({ mainPath: [conv(64, { activation: 'relu', padding: 'same' }), conv(64, { activation: 'relu', padding: 'same' })] });
    return tf.sequential({
      layers: [
        conv(32, { activation: 'relu', inputShape: [32, 32, 3] }),
        conv(64, { activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 3 }),
        block(),
        block(),
        conv(64, { activation: 'relu' }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 256, activation: 'relu' }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 10 }),
      ],
    });
  },
  'resnet-block-bn': () =>
    tf.sequential({
      layers: [
        skipConnection({
          inputShape: [8, 8, 4],
          mainPath: [
            conv(8, { strides: 2, padding: 'same', useBias: false }),
            tf.layers.batchNormalization({ epsilon: 1e-3 }),
            tf.layers.reLU(),
            conv(8, { padding: 'same', useBias: false }),
            tf.layers.batchNormalization({ epsilon: 1e-3 }),
          ],
          skipPath: [conv(8, { kernelSize: 1, strides: 2, useBias: false }), tf.layers.batchNormalization({ epsilon: 1e-3 })],
        }),
        tf.layers.reLU(),
      ],
    }),
};
