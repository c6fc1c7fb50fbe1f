import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection } from 'tfjs-skip';
import resnetBlockBn from '../../packages/tfjs-skip/test/fixtures/resnet-block-bn.json';
import seedAdd from '../../packages/tfjs-skip/test/fixtures/seed000-add.json';
import seedConcat from '../../packages/tfjs-skip/test/fixtures/seed000-concat.json';
import toyResnet from '../../packages/tfjs-skip/test/fixtures/toy-resnet.json';

/**
 * PyTorch parity in the browser: the fixtures of the Node suite
 * (`packages/tfjs-skip/src/fixtures.test.ts`, from `../shared/fixtures/`),
 * bundled by Vite as JSON, checked on the backend under test.
 */
interface NamedArray {
  name: string;
  shape: number[];
  data: number[];
}
interface Fixture {
  params: number;
  weights: NamedArray[];
  input: NamedArray;
  output: NamedArray;
  outputTraining?: NamedArray;
  labels?: number[];
  loss?: number;
  grads?: NamedArray[];
}

const FIXTURES: Record<string, Fixture> = {
  'seed000-add': seedAdd as Fixture,
  'seed000-concat': seedConcat as Fixture,
  'toy-resnet': toyResnet as Fixture,
  'resnet-block-bn': resnetBlockBn as Fixture,
};

const tensor = (a: NamedArray) => tf.tensor(a.data, a.shape);
const conv = (filters: number, extra: Partial<Parameters<typeof tf.layers.conv2d>[0]> = {}) => tf.layers.conv2d({ filters, kernelSize: 3, ...extra });
const seed = (how: 'add' | 'concat') =>
  tf.sequential({ layers: [tf.layers.dense({ units: 30, inputShape: [50] }), skipConnection({ mainPath: [tf.layers.dense({ units: 15 }), tf.layers.dense({ units: 30 })], how })] });

/** The architectures of the fixtures, as the Node suite builds them. */
const BUILDERS: Record<string, () => tf.Sequential> = {
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

function loaded(name: string): { f: Fixture; model: tf.Sequential } {
  const f = FIXTURES[name]!;
  const model = BUILDERS[name]!();
  expect(model.countParams()).toBe(f.params);
  expect(model.getWeights().map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
  model.setWeights(f.weights.map(tensor));
  return { f, model };
}

async function maxAbsDiff(actual: tf.Tensor, expected: NamedArray): Promise<number> {
  expect(actual.shape).toEqual(expected.shape);
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))));
  const v = (await d.data())[0]!;
  d.dispose();
  return v;
}

export function pytorchParity(): void {
  describe('PyTorch parity', () => {
    it.each(Object.keys(FIXTURES))('%s: inference output within 1e-4', async (name) => {
      const { f, model } = loaded(name);
      expect(await maxAbsDiff(model.predict(tensor(f.input)) as tf.Tensor, f.output), `max |diff| of ${f.output.name}`).toBeLessThan(1e-4);
      model.dispose();
    });

    it('resnet-block-bn: training-mode output (batch statistics) within 1e-4', async () => {
      const { f, model } = loaded('resnet-block-bn');
      expect(await maxAbsDiff(model.apply(tensor(f.input), { training: true }) as tf.Tensor, f.outputTraining!)).toBeLessThan(1e-4);
      model.dispose();
    });

    it.each(['seed000-add', 'seed000-concat', 'toy-resnet'])('%s: loss and gradients within 1e-3 relative', async (name) => {
      const { f, model } = loaded(name);
      const x = tensor(f.input);
      const labels = tf.oneHot(tf.tensor1d(f.labels!, 'int32'), model.outputShape.at(-1) as number);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: false }) as tf.Tensor) as tf.Scalar,
        model.trainableWeights.map((w) => w.read() as tf.Variable),
      );
      expect((await value.data())[0]).toBeCloseTo(f.loss!, 4);
      for (const [i, w] of model.trainableWeights.entries()) {
        const expected = f.grads![i]!;
        const scale = Math.max(...expected.data.map(Math.abs));
        expect((await maxAbsDiff(grads[(w.read() as tf.Variable).name]!, expected)) / scale, `gradient of ${expected.name}`).toBeLessThan(1e-3);
      }
      tf.dispose([x, labels, value, grads]);
      model.dispose();
    });
  });
}
