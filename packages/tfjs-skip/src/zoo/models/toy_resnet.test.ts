import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { summaryRows } from '../../summary.js';
import { SkipConnection } from '../../skip_connection.js';
import { predictionDiff, saveAndLoad, trainableParams, trainStep } from '../model_checks.test_support.js';
import { toyResNet } from '../index.js';

/** The Keras functional-API guide's summary, after the input layer: (type, output shape, params). */
const SEED_SUMMARY: Array<[string, Array<number | null>, number]> = [
  ['Conv2D', [null, 30, 30, 32], 896],
  ['Conv2D', [null, 28, 28, 64], 18496],
  ['MaxPooling2D', [null, 9, 9, 64], 0],
  ['Conv2D', [null, 9, 9, 64], 36928],
  ['Conv2D', [null, 9, 9, 64], 36928],
  ['Add', [null, 9, 9, 64], 0],
  ['Conv2D', [null, 9, 9, 64], 36928],
  ['Conv2D', [null, 9, 9, 64], 36928],
  ['Add', [null, 9, 9, 64], 0],
  ['Conv2D', [null, 7, 7, 64], 36928],
  ['GlobalAveragePooling2D', [null, 64], 0],
  ['Dense', [null, 256], 16640],
  ['Dropout', [null, 256], 0],
  ['Dense', [null, 10], 2570],
];

/** The guide's functional-API model, layer for layer (tf.input + tf.layers.add). */
function seedFunctional(): tf.LayersModel {
  const conv = (filters: number, padding: 'valid' | 'same' = 'valid') =>
    tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding });
  const inputs = tf.input({ shape: [32, 32, 3], name: 'img' });
  let x = conv(32).apply(inputs) as tf.SymbolicTensor;
  x = conv(64).apply(x) as tf.SymbolicTensor;
  const block1 = tf.layers.maxPooling2d({ poolSize: 3 }).apply(x) as tf.SymbolicTensor;
  x = conv(64, 'same').apply(block1) as tf.SymbolicTensor;
  x = conv(64, 'same').apply(x) as tf.SymbolicTensor;
  const block2 = tf.layers.add().apply([x, block1]) as tf.SymbolicTensor;
  x = conv(64, 'same').apply(block2) as tf.SymbolicTensor;
  x = conv(64, 'same').apply(x) as tf.SymbolicTensor;
  const block3 = tf.layers.add().apply([x, block2]) as tf.SymbolicTensor;
  x = conv(64).apply(block3) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dense({ units: 256, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.dropout({ rate: 0.5 }).apply(x) as tf.SymbolicTensor;
  const outputs = tf.layers.dense({ units: 10 }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs, outputs, name: 'toy_resnet' });
}

describe('toyResNet (the Keras functional-API guide)', () => {
  it('has 223,242 parameters, all trainable, and outputs 10 logits', () => {
    const model = toyResNet();
    expect(model.countParams()).toBe(223242);
    expect(trainableParams(model)).toBe(223242);
    expect(model.outputShape).toEqual([null, 10]);
    expect(model.layers.filter((l) => l instanceof SkipConnection)).toHaveLength(2);
  });

  it("gives every layer the guide's summary's output shape and parameters, the additions as SkipConnections", () => {
    const rows = summaryRows(toyResNet(), { expandNested: true });
    // A SkipConnection's row comes before its paths' rows; the guide's Add comes after them.
    const flat: Array<[string, Array<number | null>, number]> = [];
    let pendingAdd: [string, Array<number | null>, number] | null = null;
    for (const row of rows) {
      if (row.depth === 0 && pendingAdd) {
        flat.push(pendingAdd);
        pendingAdd = null;
      }
      const shape = JSON.parse(row.outputShape) as Array<number | null>;
      if (row.className === 'SkipConnection') pendingAdd = ['Add', shape, 0];
      else if (row.name === '(identity)') expect(shape).toEqual([null, 9, 9, 64]);
      else flat.push([row.className, shape, row.params]);
    }
    expect(flat).toEqual(SEED_SUMMARY);
  });

  it('computes exactly what the functional-API version computes with the same weights', () => {
    const ours = toyResNet();
    const seed = seedFunctional();
    expect(seed.countParams()).toBe(223242);
    expect(seed.weights.map((w) => w.shape)).toEqual(ours.weights.map((w) => w.shape));
    seed.setWeights(ours.getWeights());
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 42);
    expect(predictionDiff(ours, seed, x)).toBe(0);
  });

  it('honours inputShape and classes', () => {
    const model = toyResNet({ inputShape: [20, 20, 1], classes: 4 });
    expect(model.outputShape).toEqual([null, 4]);
    expect(() => toyResNet({ inputShape: [32, 32] })).toThrow(
      /toyResNet inputShape must be an image shape \[height, width, channels\], but received \[32,32\]/,
    );
  });

  it('trains one step and predicts identically after save/load', async () => {
    const model = toyResNet({ inputShape: [14, 14, 3] });
    const x = tf.randomNormal([2, 14, 14, 3], 0, 1, 'float32', 1);
    const step = await trainStep(model, x);
    expect(Number.isFinite(step.loss)).toBe(true);
    expect(step.changed).toBeGreaterThan(step.total / 2);
    const loaded = await saveAndLoad(model);
    expect(loaded.countParams()).toBe(model.countParams());
    expect(predictionDiff(model, loaded, x)).toBe(0);
  });

  it('computes what PyTorch computes with the same weights (test/fixtures/toy-resnet.json)', () => {
    type Arr = { shape: number[]; data: number[] };
    const f = JSON.parse(readFileSync(new URL('../../../test/fixtures/toy-resnet.json', import.meta.url), 'utf8')) as {
      weights: Arr[];
      input: Arr;
      output: Arr;
    };
    const model = toyResNet();
    model.setWeights(f.weights.map((w) => tf.tensor(w.data, w.shape)));
    const y = model.predict(tf.tensor(f.input.data, f.input.shape)) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, tf.tensor(f.output.data, f.output.shape)))).dataSync()[0]).toBeLessThan(1e-4);
  });
});
