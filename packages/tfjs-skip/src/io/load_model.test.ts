import * as tf from '@tensorflow/tfjs';
// TF.js's own conversion, not exported by @tensorflow/tfjs: the reference for ours.
import { convertPythonicToTs } from '@tensorflow/tfjs-layers/dist/utils/serialization_utils.js';
import { describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { loadModel } from './load_model.js';
import { ModelFileError } from './model_file_error.js';
import { pythonicToTs } from './pythonic_config.js';

async function artifactsOf(model: tf.LayersModel, options?: tf.io.SaveConfig): Promise<tf.io.ModelArtifacts> {
  let saved!: tf.io.ModelArtifacts;
  await model.save(
    tf.io.withSaveHandler(
      (a) => ((saved = a), Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
    ),
    options,
  );
  return saved;
}

function residual(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 6, inputShape: [5] }),
      skipConnection({
        mainPath: [
          tf.layers.dense({ units: 6, activation: 'relu' }),
          skipConnection({ mainPath: [tf.layers.dense({ units: 6 })] }),
          tf.layers.batchNormalization(),
        ],
      }),
      tf.layers.dense({ units: 2 }),
    ],
  });
}

const same = (a: tf.LayersModel, b: tf.LayersModel, x: tf.Tensor) =>
  tf.tidy(
    () =>
      tf
        .equal(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor)
        .all()
        .dataSync()[0] === 1,
  );

const refusal = async (source: tf.io.ModelArtifacts | tf.io.IOHandler, options = {}) => {
  const before = tf.memory().numTensors;
  const error = await loadModel(source, options).catch((e: unknown) => e);
  expect(tf.memory().numTensors).toBe(before);
  expect(error).toBeInstanceOf(ModelFileError);
  return error as ModelFileError;
};

describe('loadModel', () => {
  it('loads artifacts or a handler into an identical model holding only its weights', async () => {
    const model = residual();
    const artifacts = await artifactsOf(model);
    const x = tf.randomNormal([4, 5]);
    const before = tf.memory().numTensors;
    for (const source of [artifacts, tf.io.fromMemory(artifacts)]) {
      const loaded = await loadModel(source);
      expect(tf.memory().numTensors - before).toBe(loaded.weights.length);
      expect(loaded.toJSON(null, false)).toEqual(artifacts.modelTopology);
      expect(same(model, loaded, x)).toBe(true);
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    model.dispose();
  });

  it('loads functional models, Keras model_config wrappers, metadata, and skips optimizer weights', async () => {
    const input = tf.input({ shape: [3] });
    const out = tf.layers
      .dense({ units: 2 })
      .apply(skipConnection({ mainPath: [tf.layers.dense({ units: 3 })] }).apply(input)) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    model.compile({ optimizer: tf.train.adam(), loss: 'meanSquaredError' });
    await model.fit(tf.ones([2, 3]), tf.ones([2, 2]), { epochs: 1, verbose: 0 });
    model.setUserDefinedMetadata({ owner: 'test' });
    const artifacts = await artifactsOf(model, { includeOptimizer: true });
    expect(artifacts.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
    const wrapped = { ...artifacts, modelTopology: { model_config: artifacts.modelTopology } };
    for (const source of [artifacts, wrapped]) {
      const loaded = await loadModel(source);
      expect(tf.tidy(() => same(model, loaded, tf.ones([3, 3])))).toBe(true);
      expect(loaded.getUserDefinedMetadata()).toEqual({ owner: 'test' });
      expect(loaded.optimizer).toBeUndefined(); // trainingConfig is not applied
      loaded.dispose();
    }
    model.optimizer.dispose();
    model.dispose();
  });

  it('refuses what tf.loadLayersModel loads silently: trailing bytes and NaN weights', async () => {
    const model = residual();
    const artifacts = await artifactsOf(model);
    const data = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const longer = { ...artifacts, weightData: tf.io.concatenateArrayBuffers([data, new ArrayBuffer(8)]) };
    const nan = { ...artifacts, weightData: data.slice(0) };
    new Float32Array(nan.weightData)[3] = NaN;
    for (const [source, problem] of [
      [longer, 'weights-size'],
      [nan, 'non-finite'],
    ] as const) {
      const theirs = await tf.loadLayersModel(tf.io.fromMemory(source));
      theirs.dispose(); // TF.js accepts it
      expect((await refusal(source)).problem).toBe(problem);
    }
    const loaded = await loadModel(nan, { allowNonFinite: true });
    expect(Number.isNaN(loaded.getWeights()[0].dataSync()[3])).toBe(true);
    loaded.dispose();
    model.dispose();
  });

  it('loads constrained weights without leaking (tf.loadLayersModel leaks one tensor per weight)', async () => {
    const model = tf.sequential({
      layers: [
        skipConnection({
          inputShape: [3],
          mainPath: [tf.layers.dense({ units: 3, kernelConstraint: 'maxNorm', biasConstraint: 'nonNeg' })],
        }),
      ],
    });
    const artifacts = await artifactsOf(model);
    let before = tf.memory().numTensors;
    const theirs = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
    theirs.dispose();
    expect(tf.memory().numTensors - before).toBe(2); // unreachable now: nothing can dispose them
    before = tf.memory().numTensors;
    const ours = await loadModel(artifacts);
    ours.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('refuses graph models, data without specs, bad handlers and bad limits', async () => {
    const model = residual();
    const artifacts = await artifactsOf(model);
    expect((await refusal({ ...artifacts, modelTopology: new ArrayBuffer(4) })).problem).toBe('bad-artifacts');
    expect((await refusal({ ...artifacts, weightSpecs: undefined })).problem).toBe('weights-size');
    expect((await refusal({ load: () => Promise.resolve(null as never) })).problem).toBe('bad-artifacts');
    expect((await refusal(artifacts, { maxConfigDepth: 3 })).problem).toBe('too-deep');
    expect((await refusal(artifacts, { maxWeightRank: 1 })).problem).toBe('bad-weight-spec');
    await expect(loadModel(artifacts, { maxParameters: -1 })).rejects.toThrow(
      /maxParameters must be a non-negative safe integer, but received -1/,
    );
    model.dispose();
  });
});

describe('pythonicToTs', () => {
  it('converts saved configs exactly as TF.js does', async () => {
    const model = residual();
    const input = tf.input({ shape: [3] });
    const functional = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 2, kernelInitializer: 'glorotUniform' }).apply(input) as tf.SymbolicTensor,
    });
    for (const m of [model, functional]) {
      const topology = (await artifactsOf(m)).modelTopology;
      expect(pythonicToTs(topology)).toEqual(convertPythonicToTs(topology as never));
      m.dispose();
    }
  });
});
