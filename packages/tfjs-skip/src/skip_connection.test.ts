import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError, MERGE_NAMES, SkipConnection, skipConnection, SkipShapeError } from './index.js';
import { checkLayerContract } from './testing/index.js';
import { SKIP_CONNECTION_CONTRACTS } from './testing/contract_cases.js';

const dense = (units: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) =>
  tf.layers.dense({ units, ...extra });

/** The Keras SkipConnection docs' model: Dense(30) then a skip around Dense(15) → Dense(30). */
function seedModel(how: 'add' | 'concat') {
  return tf.sequential({
    layers: [dense(30, { inputShape: [50] }), skipConnection({ mainPath: [dense(15), dense(30)], how })],
  });
}

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(
      (a) => (
        (artifacts = a),
        Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })
      ),
    ),
  );
  // Through JSON text, as a file would carry it.
  const topology = JSON.parse(JSON.stringify(artifacts!.modelTopology)) as object;
  return tf.loadLayersModel(tf.io.fromMemory({ ...artifacts!, modelTopology: topology }));
}

describe('the two examples of the Keras SkipConnection documentation', () => {
  it.each([
    ['add', 30],
    ['concat', 60],
  ] as const)('how: %s gives width %i, 2,475 params, 945 in the skip layer', (how, width) => {
    const model = seedModel(how);
    expect(model.outputShape).toEqual([null, width]);
    expect(model.countParams()).toBe(2475);
    expect(model.layers[1].countParams()).toBe(945);
    const out = model.predict(tf.randomNormal([32, 50])) as tf.Tensor;
    expect(out.shape).toEqual([32, width]);
  });

  it('shows the layer and its 945 parameters in model.summary()', () => {
    const lines: string[] = [];
    seedModel('add').summary(undefined, undefined, (line: string) => lines.push(line));
    const row = lines.find((l) => l.startsWith('skip_connection'))!;
    expect(row).toMatch(/\[null,30\]\s+945/);
    expect(lines.join('\n')).toContain('Total params: 2475');
  });
});

describe('layer contract', () => {
  it.each(SKIP_CONNECTION_CONTRACTS)('%s', async (_name, contract) => {
    await checkLayerContract(contract);
  });
});

describe('shape errors at model construction', () => {
  it('names both paths, both shapes and the fix when add widths differ', () => {
    const build = () =>
      tf.sequential({
        layers: [dense(8, { inputShape: [4] }), skipConnection({ name: 'res', mainPath: [dense(16)] })],
      });
    expect(build).toThrow(SkipShapeError);
    expect(build).toThrow(
      new RegExp(
        String.raw`SkipConnection "res".*mainPath \(dense_Dense\d+\) outputs \[null,16\] ` +
          String.raw`and skipPath \(identity\) outputs \[null,8\]`,
      ),
    );
    expect(build).toThrow(/skipPath: tf\.layers\.dense\(\{units: 16\}\).*how: 'concat'/);
  });

  it('suggests a strided 1x1 conv when a conv path downsamples', () => {
    const build = () =>
      skipConnection({ mainPath: tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' }) }).apply(
        tf.input({ shape: [8, 8, 4] }),
      );
    expect(build).toThrow(/\[null,4,4,8\].*\[null,8,8,4\].*conv2d\(\{filters: 8, kernelSize: 1, strides: 2\}\)/);
  });

  it('reports the layer that cannot take its input', () => {
    const build = () =>
      skipConnection({ mainPath: [dense(4), tf.layers.conv2d({ filters: 2, kernelSize: 1 })] }).apply(
        tf.input({ shape: [3] }),
      );
    expect(build).toThrow(ConfigError);
    expect(build).toThrow(/mainPath layer 1 "conv2d_Conv2D\d+" \(Conv2D\) cannot take input of shape \[null,4\]/);
  });

  it('refuses bad arguments, quoting them', () => {
    expect(() => skipConnection({ mainPath: dense(2), how: 'sum' as never })).toThrow(
      /'add', 'concat'.*received "sum"/,
    );
    expect(() => skipConnection({ mainPath: [] })).toThrow(/at least one layer/);
    expect(() => skipConnection({ mainPath: [dense(2), 'relu' as never] })).toThrow(
      /mainPath\[1\] must be a tf\.layers\.Layer.*string "relu"/,
    );
    const shared = dense(3);
    expect(() => skipConnection({ mainPath: shared, skipPath: shared })).toThrow(/twice/);
    expect(() => skipConnection({ mainPath: tf.sequential() })).toThrow(/no input shape yet/);
  });
});

describe('weights and training', () => {
  it('orders weights trainable first, mainPath before skipPath, depth first', () => {
    const layer = skipConnection({
      name: 'blk',
      mainPath: [dense(3, { name: 'm1' }), tf.layers.batchNormalization({ name: 'bn' })],
      skipPath: [dense(3, { name: 's1' })],
    });
    layer.apply(tf.input({ shape: [2] }));
    expect(layer.weights.map((w) => w.originalName)).toEqual([
      'blk/m1/kernel',
      'blk/m1/bias',
      'blk/bn/gamma',
      'blk/bn/beta',
      'blk/s1/kernel',
      'blk/s1/bias',
      'blk/bn/moving_mean',
      'blk/bn/moving_variance',
    ]);
  });

  it('trains both paths with fit(), and updates BatchNorm moving statistics', async () => {
    const bn = tf.layers.batchNormalization({ momentum: 0.5 });
    const model = tf.sequential({
      layers: [skipConnection({ inputShape: [4], mainPath: [dense(4), bn], skipPath: dense(4) }), dense(1)],
    });
    model.compile({ optimizer: tf.train.sgd(0.01), loss: 'meanSquaredError' });
    const before = model.getWeights().map((w) => w.clone());
    const xs = tf.randomNormal([16, 4], 1, 1, 'float32', 1);
    const ys = tf.randomNormal([16, 1], 0, 1, 'float32', 2);
    const history = await model.fit(xs, ys, { epochs: 5, batchSize: 16, verbose: 0 });
    const after = model.getWeights();
    before.forEach((w, i) =>
      expect(tf.max(tf.abs(tf.sub(w, after[i]))).dataSync()[0], `weight ${i} changed`).toBeGreaterThan(0),
    );
    expect(history.history['loss'].at(-1)).toBeLessThan(history.history['loss'][0] as number);
    // moving mean moved toward the batch mean (inputs have mean 3, so dense outputs are far from 0)
    expect(Math.max(...(bn.getWeights()[2].dataSync() as Float32Array).map(Math.abs))).toBeGreaterThan(1e-3);
  });

  it('freezing the SkipConnection freezes both paths in fit()', async () => {
    const block = skipConnection({ inputShape: [3], mainPath: dense(3), skipPath: dense(3) });
    const head = dense(1);
    const model = tf.sequential({ layers: [block, head] });
    block.trainable = false;
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    expect(model.trainableWeights).toHaveLength(2);
    const frozen = block.getWeights().map((w) => w.clone());
    await model.fit(tf.ones([4, 3]), tf.ones([4, 1]), { epochs: 2, verbose: 0 });
    block.getWeights().forEach((w, i) => expect(tf.max(tf.abs(tf.sub(w, frozen[i]))).dataSync()[0]).toBe(0));
  });

  it('turns Dropout inside a path on in fit() and off in predict()', () => {
    const model = tf.sequential({
      layers: [skipConnection({ inputShape: [200], mainPath: tf.layers.dropout({ rate: 0.5 }), how: 'concat' })],
    });
    const x = tf.ones([1, 200]);
    const inference = (model.predict(x) as tf.Tensor).dataSync();
    expect(Array.from(inference).every((v) => v === 1)).toBe(true);
    const training = (model.apply(x, { training: true }) as tf.Tensor).dataSync().slice(0, 200);
    const zeros = Array.from(training).filter((v) => v === 0).length;
    expect(zeros).toBeGreaterThan(50);
    expect(zeros).toBeLessThan(150);
  });
});

describe('serialization', () => {
  it('round-trips nested skips (U-Net style) through model.save/loadLayersModel', async () => {
    const inner = skipConnection({
      mainPath: [tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' }), tf.layers.batchNormalization()],
      how: 'concat',
    });
    const model = tf.sequential({
      layers: [
        skipConnection({
          inputShape: [8, 8, 2],
          mainPath: [
            tf.layers.conv2d({ filters: 4, kernelSize: 2, strides: 2 }),
            inner,
            tf.layers.upSampling2d({ size: [2, 2] }),
          ],
          how: 'concat',
        }),
        tf.layers.conv2d({ filters: 3, kernelSize: 1 }),
      ],
    });
    expect(model.outputShape).toEqual([null, 8, 8, 3]);
    const x = tf.randomNormal([2, 8, 8, 2]);
    const loaded = await roundTrip(model);
    expect(loaded.layers[0]).toBeInstanceOf(SkipConnection);
    expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    expect(new Set(loaded.weights.map((w) => w.originalName)).size).toBe(loaded.weights.length);
    const diff = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor))).dataSync()[0];
    expect(diff).toBe(0);
  });

  it('rebuilds a LayersModel path and every merge name from config', () => {
    for (const how of MERGE_NAMES) {
      const layer = skipConnection({ mainPath: tf.sequential({ layers: [dense(2, { inputShape: [2] })] }), how });
      const config = JSON.parse(JSON.stringify(layer.getConfig())) as tf.serialization.ConfigDict;
      const clone = SkipConnection.fromConfig(SkipConnection, config) as SkipConnection;
      expect(clone.how).toBe(how);
      expect(clone.mainPath[0]).toBeInstanceOf(tf.Sequential);
    }
  });

  it('refuses configs naming unknown or non-layer classes, and prototype keys', () => {
    const config = (className: string) => ({
      mainPath: [{ className, config: { units: 2 } }],
      how: 'add',
      name: 'x',
      trainable: true,
    });
    for (const bad of ['NoSuchLayer', '__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
      expect(() => SkipConnection.fromConfig(SkipConnection, config(bad)), bad).toThrow(ConfigError);
    }
    expect(() => SkipConnection.fromConfig(SkipConnection, config('GlorotUniform'))).toThrow(/not a layer/);
    expect(() => SkipConnection.fromConfig(SkipConnection, { ...config('Dense'), how: 'hasOwnProperty' })).toThrow(
      /received "hasOwnProperty"/,
    );
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('functional API', () => {
  it('applies to a SymbolicTensor and matches the same network written with tf.layers.add', () => {
    const input = tf.input({ shape: [6] });
    const d1 = dense(6, { activation: 'relu' });
    const d2 = dense(6);
    const viaSkip = tf.model({
      inputs: input,
      outputs: skipConnection({ mainPath: [d1, d2] }).apply(input) as tf.SymbolicTensor,
    });
    const input2 = tf.input({ shape: [6] });
    const e1 = dense(6, { activation: 'relu' });
    const e2 = dense(6);
    const viaAdd = tf.model({
      inputs: input2,
      outputs: tf.layers.add().apply([e2.apply(e1.apply(input2)) as tf.SymbolicTensor, input2]) as tf.SymbolicTensor,
    });
    viaAdd.setWeights(viaSkip.getWeights());
    const x = tf.randomNormal([5, 6]);
    const diff = tf.max(tf.abs(tf.sub(viaSkip.predict(x) as tf.Tensor, viaAdd.predict(x) as tf.Tensor))).dataSync()[0];
    expect(diff).toBeLessThan(1e-6);
  });

  it('works eagerly on a concrete tensor without leaking', () => {
    const layer = skipConnection({ mainPath: [dense(3), dense(3)] });
    tf.dispose(layer.apply(tf.ones([2, 3])) as tf.Tensor);
    const before = tf.memory().numTensors;
    const y = layer.apply(tf.ones([2, 3])) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 2); // the input ones() and the output
    tf.dispose(y);
  });

  it('disposes the weights of both paths with the model', () => {
    const model = tf.sequential({
      layers: [skipConnection({ inputShape: [3], mainPath: [dense(3)], skipPath: dense(3) })],
    });
    const before = tf.memory().numTensors;
    const { numDisposedVariables } = model.dispose();
    expect(numDisposedVariables).toBe(4);
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('disposes a LayersModel used as a path', () => {
    const before = tf.memory().numTensors;
    const inner = tf.sequential({ layers: [dense(3, { inputShape: [3] })] });
    const model = tf.sequential({ layers: [skipConnection({ inputShape: [3], mainPath: inner, skipPath: dense(3) })] });
    expect(model.dispose().numDisposedVariables).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
  });
});
