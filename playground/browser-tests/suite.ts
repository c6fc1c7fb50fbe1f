import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { skipConnection, summaryRows } from 'tfjs-skip';
import { basicBlock, highway } from 'tfjs-skip/blocks';
import { checkLayerContract, SKIP_CONNECTION_CONTRACTS, type LayerContract } from 'tfjs-skip/testing';
import { toyResNet } from 'tfjs-skip/zoo';
import { pytorchParity } from './parity.js';

const dense = (units: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
  tf.layers.dense({ units, ...extra });

/** The layer contract on the SkipConnection configurations of the Node suite, plus two blocks. */
const CONTRACTS: Array<[string, LayerContract]> = [
  ...SKIP_CONNECTION_CONTRACTS,
  [
    'basicBlock with a projection shortcut (Shortcut layer)',
    { makeLayer: () => basicBlock({ filters: 4, strides: 2 })[0], inputShape: [6, 6, 2], trainingDiffers: true },
  ],
  [
    'Highway',
    { makeLayer: () => highway({ activation: 'tanh' }), inputShape: [5], params: 2 * (25 + 5), trainableWeights: 4 },
  ],
];

/**
 * A Sequential with a nested concat skip and a BatchNorm skip, trained one step so the moving statistics are not their
 * initial values.
 */
async function trainedModel(): Promise<tf.Sequential> {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', inputShape: [6, 6, 1] }),
      skipConnection({
        mainPath: [
          tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }),
          tf.layers.batchNormalization(),
          skipConnection({ mainPath: tf.layers.conv2d({ filters: 2, kernelSize: 1 }), how: 'concat' }),
        ],
        skipPath: tf.layers.conv2d({ filters: 6, kernelSize: 1 }),
      }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.3 }),
      dense(3),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: 'categoricalCrossentropy' });
  const x = tf.randomNormal([8, 6, 6, 1], 0, 1, 'float32', 1);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1], 'int32'), 3);
  await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}

/** Largest absolute difference of two tensors' values. */
async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.max(tf.abs(tf.sub(a, b)));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

/** The browser suite, run once per backend (as tfjs's `describeMathCPUAndGPU`). */
export function browserSuite(backend: 'webgpu' | 'webgl' | 'wasm' | 'cpu'): void {
  it(`runs on the ${backend} backend in a real browser`, () => {
    expect(tf.getBackend()).toBe(backend);
    expect(typeof window).toBe('object');
    expect(navigator.userAgent).toMatch(/Chrome\//);
  });

  describe('layer contract', () => {
    it.each(CONTRACTS)('%s', async (_name, contract) => {
      await checkLayerContract(contract);
    });
  });

  pytorchParity();

  describe('save/load round trip with identical predictions', () => {
    it.each(['indexeddb://', 'localstorage://'])('through %s', async (scheme) => {
      const model = await trainedModel();
      const url = `${scheme}tfjs-skip-browser-${backend}`;
      const x = tf.randomNormal([5, 6, 6, 1], 0, 1, 'float32', 2);
      try {
        const saved = await model.save(url);
        expect(saved.modelArtifactsInfo.weightDataBytes).toBe(4 * model.countParams());
        expect(Object.keys(await tf.io.listModels())).toContain(url);
        const loaded = await tf.loadLayersModel(url);
        expect(loaded.countParams()).toBe(model.countParams());
        // Scoped names survive (TF.js suffixes `_1` to the variables while the original model lives).
        expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
        expect(model.weights[2].originalName).toMatch(/^skip_connection_SkipConnection\d+\/conv2d_Conv2D\d+\/kernel$/);
        expect(summaryRows(loaded, { expandNested: true })).toEqual(summaryRows(model, { expandNested: true }));
        const before = model.predict(x) as tf.Tensor;
        const after = loaded.predict(x) as tf.Tensor;
        expect(await maxAbsDiff(before, after)).toBe(0);
        tf.dispose([before, after]);
        loaded.dispose();
      } finally {
        x.dispose();
        model.dispose();
        await tf.io.removeModel(url).catch(() => undefined);
      }
    });
  });

  describe('training', () => {
    it('fits a conv net with SkipConnections: the loss falls, nothing leaks', async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [8, 8, 1] }),
          ...basicBlock({ filters: 4, strides: 2 }),
          ...basicBlock({ filters: 4 }),
          tf.layers.globalAveragePooling2d({}),
          dense(2),
        ],
      });
      model.compile({ optimizer: tf.train.adam(0.02), loss: tf.losses.softmaxCrossEntropy });
      // Class 1 images are brighter in their top half: learnable in a few steps.
      const labels = Array.from({ length: 32 }, (_, i) => i % 2);
      const x = tf.tidy(() => {
        const noise = tf.randomNormal([32, 8, 8, 1], 0, 0.3, 'float32', 3);
        const top = tf.concat([tf.ones([1, 4, 8, 1]), tf.zeros([1, 4, 8, 1])], 1);
        return tf.add(noise, tf.mul(tf.tensor1d(labels).reshape([32, 1, 1, 1]), top));
      });
      const y = tf.oneHot(tf.tensor1d(labels, 'int32'), 2);
      // The first step creates Adam's moments; later steps must not add tensors.
      const first = await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
      const tensorsAfterFirstStep = tf.memory().numTensors;
      const history = await model.fit(x, y, { epochs: 15, batchSize: 32, verbose: 0 });
      const loss = history.history.loss as number[];
      expect(loss.at(-1)!).toBeLessThan((first.history.loss[0] as number) * 0.8);
      expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
      tf.dispose([x, y]);
      model.dispose();
    });

    it('builds the zoo toyResNet with 223,242 parameters', () => {
      const model = toyResNet();
      expect(model.countParams()).toBe(223_242);
      const logits = tf.tidy(() => (model.predict(tf.zeros([1, 32, 32, 3])) as tf.Tensor).shape);
      expect(logits).toEqual([1, 10]);
      model.dispose();
    });
  });
}
