/**
 * The models of the PyTorch reference fixtures (`test/fixtures/<name>.json`,
 * exported as `tfjs-skip/fixtures/<name>.json`), built with tfjs-skip, for the
 * Node suite (`src/fixtures.test.ts`) and the browser suite
 * (`playground/browser-tests`).
 */
import * as tf from '@tensorflow/tfjs';
import { skipConnection } from '../skip_connection.js';

/** One array of a fixture file: a weight, an input or an output, in TF.js's layout. */
export interface NamedArray {
  /** PyTorch's name for it (`0.weight`, `input`, ...). */
  name: string;
  /** Its shape, TF.js's layout (NHWC; kernels `[kh, kw, in, out]`, dense `[in, out]`). */
  shape: number[];
  /** Its values, row-major. */
  data: number[];
}

/** A PyTorch reference fixture (`tfjs-skip/fixtures/<name>.json`): a model and what it must compute. */
export interface Fixture {
  /** The model as TF.js factory calls plus `skipConnection({...})`. */
  architecture?: string;
  /** What `model.countParams()` must report. */
  params: number;
  /** Every weight in `model.getWeights()` order. */
  weights: NamedArray[];
  /** A batch of inputs. */
  input: NamedArray;
  /** The model's output on `input` in inference mode (`model.predict`). */
  output: NamedArray;
  /** The output with `training: true` (BatchNorm on batch statistics), where it differs. */
  outputTraining?: NamedArray;
  /** Integer class labels of `input`, for `loss` and `grads`. */
  labels?: number[];
  /** Mean softmax cross-entropy of the inference-mode logits against `labels`. */
  loss?: number;
  /** The gradient of `loss` for every trainable weight, in `trainableWeights` order. */
  grads?: NamedArray[];
}

/**
 * The fixtures there are, one per model of {@link FIXTURE_MODELS}.
 *
 * @example
 * ```ts
 * import { FIXTURE_NAMES, FIXTURE_MODELS } from 'tfjs-skip/testing';
 * FIXTURE_NAMES.length; // => 4
 * FIXTURE_MODELS['toy-resnet']().countParams(); // => 223242
 * ```
 */
export const FIXTURE_NAMES = ['dense-skip-add', 'dense-skip-concat', 'toy-resnet', 'resnet-block-bn'] as const;
/** The name of a fixture: one of {@link FIXTURE_NAMES}. */
export type FixtureName = (typeof FIXTURE_NAMES)[number];

const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
  tf.layers.conv2d({ filters, kernelSize: 3, ...extra });

/**
 * The example of the README and of the Keras `SkipConnection` layer's docs:
 * Dense 50 → 30, then a skip connection around Dense 15 → Dense 30, merged by
 * `how` (2,475 parameters with `'add'`).
 */
function denseSkip(how: 'add' | 'concat'): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 30, inputShape: [50] }),
      skipConnection({ mainPath: [tf.layers.dense({ units: 15 }), tf.layers.dense({ units: 30 })], how }),
    ],
  });
}

/** Each fixture's `architecture`, as tfjs-skip code. */
export const FIXTURE_MODELS: Record<FixtureName, () => tf.Sequential> = {
  'dense-skip-add': () => denseSkip('add'),
  'dense-skip-concat': () => denseSkip('concat'),
  'toy-resnet': () => {
    const block = () =>
      skipConnection({
        mainPath: [
          conv(64, { activation: 'relu', padding: 'same' }),
          conv(64, { activation: 'relu', padding: 'same' }),
        ],
      });
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
          skipPath: [
            conv(8, { kernelSize: 1, strides: 2, useBias: false }),
            tf.layers.batchNormalization({ epsilon: 1e-3 }),
          ],
        }),
        tf.layers.reLU(),
      ],
    }),
};

/** A fixture array as a tensor. */
export const fixtureTensor = (a: NamedArray): tf.Tensor => tf.tensor(a.data, a.shape);

/** The fixture's model with the fixture's weights (the caller checks counts and shapes first if it wants). */
export function fixtureModel(name: FixtureName, f: Fixture): tf.Sequential {
  const model = FIXTURE_MODELS[name]();
  model.setWeights(f.weights.map(fixtureTensor));
  return model;
}

/**
 * Mean softmax cross-entropy of the inference-mode logits (the fixtures'
 * gradients are of that pass: Dropout off) and its gradient for every
 * trainable weight, in `trainableWeights` order, as the fixtures list them.
 */
export function fixtureLossAndGrads(
  model: tf.LayersModel,
  f: Fixture,
): {
  /** The mean softmax cross-entropy. */
  loss: tf.Scalar;
  /** Its gradient for each trainable weight. */
  grads: tf.Tensor[];
} {
  return tf.tidy(() => {
    const x = fixtureTensor(f.input);
    const labels = tf.oneHot(tf.tensor1d(f.labels!, 'int32'), model.outputShape.at(-1) as number);
    const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(labels, model.apply(x, { training: false }) as tf.Tensor),
      vars,
    );
    return { loss: value, grads: vars.map((v) => grads[v.name]) };
  });
}
