/**
 * Parity with PyTorch: the fixtures in `test/fixtures/` (copied from
 * `../shared/fixtures/`, see its README) hold weights, inputs, outputs, loss
 * and gradients computed by an independent implementation.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection } from './index.js';

interface NamedArray {
  name: string;
  shape: number[];
  data: number[];
}
interface Fixture {
  architecture: string;
  params: number;
  weights: NamedArray[];
  input: NamedArray;
  output: NamedArray;
  outputTraining?: NamedArray;
  labels?: number[];
  loss?: number;
  grads?: NamedArray[];
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

const tensor = (a: NamedArray) => tf.tensor(a.data, a.shape);
const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) =>
  tf.layers.conv2d({ filters, kernelSize: 3, ...extra });

const builders: Record<string, () => tf.Sequential> = {
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

function seed(how: 'add' | 'concat'): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 30, inputShape: [50] }),
      skipConnection({ mainPath: [tf.layers.dense({ units: 15 }), tf.layers.dense({ units: 30 })], how }),
    ],
  });
}

function loaded(name: string): { f: Fixture; model: tf.Sequential } {
  const f = fixture(name);
  const model = builders[name]!();
  expect(model.countParams()).toBe(f.params);
  expect(model.getWeights().map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
  model.setWeights(f.weights.map(tensor));
  return { f, model };
}

function expectClose(actual: tf.Tensor, expected: NamedArray, atol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))).dataSync()[0]!);
  expect(diff, `max |diff| of ${expected.name}`).toBeLessThan(atol);
}

describe('PyTorch parity', () => {
  it.each(['seed000-add', 'seed000-concat', 'toy-resnet', 'resnet-block-bn'])('%s: inference output within 1e-4', (name) => {
    const { f, model } = loaded(name);
    expectClose(model.predict(tensor(f.input)) as tf.Tensor, f.output, 1e-4);
  });

  it('resnet-block-bn: training-mode output (batch statistics) within 1e-4', () => {
    const { f, model } = loaded('resnet-block-bn');
    expectClose(model.apply(tensor(f.input), { training: true }) as tf.Tensor, f.outputTraining!, 1e-4);
  });

  it.each(['seed000-add', 'seed000-concat', 'toy-resnet'])('%s: loss and gradients within 1e-3 relative', (name) => {
    const { f, model } = loaded(name);
    const x = tensor(f.input);
    const labels = tf.oneHot(tf.tensor1d(f.labels!, 'int32'), model.outputShape.at(-1) as number);
    // The fixtures' gradients are of the inference-mode forward pass (Dropout off).
    const { value, grads } = tf.variableGrads(
      () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: false }) as tf.Tensor) as tf.Scalar,
      model.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(value.dataSync()[0]).toBeCloseTo(f.loss!, 4);
    model.trainableWeights.forEach((w, i) => {
      const expected = f.grads![i]!;
      const actual = grads[(w.read() as tf.Variable).name]!;
      const scale = Math.max(...expected.data.map(Math.abs));
      const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))).dataSync()[0]!);
      expect(diff / scale, `gradient of ${expected.name}`).toBeLessThan(1e-3);
    });
  });
});
