import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';
import { TestOnlyFailsInTraining, TestOnlyScale, parallelLayersModule } from '../testing/parallel_layers.js';
import { DataParallelTrainer, evenShards } from './index.js';
import type { OptimizerSpec } from './optimizers.js';

/** A small residual conv net (functional API, tf.layers.add), optionally with BatchNorm. */
function residualNet(options: { batchNorm?: boolean } = {}): tf.LayersModel {
  let seed = 1;
  const init = () => tf.initializers.glorotUniform({ seed: seed++ });
  const input = tf.input({ shape: [8, 8, 3] });
  let x = tf.layers
    .conv2d({ filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: init() })
    .apply(input) as tf.SymbolicTensor;
  if (options.batchNorm) x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.activation({ activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  const main = tf.layers
    .conv2d({ filters: 6, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init() })
    .apply(x);
  x = tf.layers.add().apply([main as tf.SymbolicTensor, x]) as tf.SymbolicTensor;
  x = tf.layers
    .conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init() })
    .apply(x) as tf.SymbolicTensor;
  if (options.batchNorm) x = tf.layers.batchNormalization().apply(x) as tf.SymbolicTensor;
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: 4, kernelInitializer: init() }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: logits });
}

function batches(count: number, size: number, seed: number): { x: tf.Tensor4D; y: tf.Tensor1D }[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => ({
    x: tf.tensor4d(randomValues(random, size * 8 * 8 * 3), [size, 8, 8, 3]),
    y: tf.tensor1d(
      Array.from({ length: size }, () => Math.floor(random() * 4)),
      'int32',
    ),
  }));
}

/** The reference: the same steps in this thread, on the whole batch. */
function trainSingleProcess(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  data: { x: tf.Tensor; y: tf.Tensor }[],
): number[] {
  return data.map(({ x, y }) => {
    const loss = optimizer.minimize(
      () =>
        tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(
          tf.oneHot(y, 4),
          model.apply(x, { training: true }) as tf.Tensor,
        ),
      true,
    )!;
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  });
}

function copyOf(model: tf.LayersModel): tf.LayersModel {
  const twin = residualNet({ batchNorm: model.nonTrainableWeights.length > 0 });
  twin.setWeights(model.getWeights());
  return twin;
}

function expectWeightsClose(actual: tf.LayersModel, expected: tf.LayersModel, rtol: number): void {
  const [a, e] = [actual.getWeights(), expected.getWeights()];
  expect(a.length).toBe(e.length);
  a.forEach((t, i) => {
    const [x, y] = [t.dataSync(), e[i].dataSync()];
    const scale = Math.max(...Array.from(y, Math.abs), 1e-6);
    const worst = Math.max(...Array.from(x, (v, j) => Math.abs(v - y[j])));
    expect(
      worst,
      `weight ${i} (${actual.weights[i].name}): max difference ${worst}, scale ${scale}`,
    ).toBeLessThanOrEqual(rtol * scale);
  });
}

beforeAll(() => useBackend('wasm'));

describe('evenShards', () => {
  it('splits as evenly as possible, first shards larger', () => {
    expect(evenShards(7, 2)).toEqual([4, 3]);
    expect(evenShards(10, 3)).toEqual([4, 3, 3]);
    expect(evenShards(1, 2)).toEqual([1, 0]);
  });
});

describe('DataParallelTrainer against single-process training (wasm replicas)', () => {
  const cases: [string, OptimizerSpec, number, number[] | undefined][] = [
    ['SGD, even split over 2 workers', { name: 'sgd', learningRate: 0.1 }, 8, undefined],
    ['momentum, uneven split 5 + 2 over 2 workers', { name: 'momentum', learningRate: 0.05, momentum: 0.9 }, 7, [5, 2]],
    ['Adam, split 1 + 0 + 6 over 3 workers', { name: 'adam', learningRate: 0.01 }, 7, [1, 0, 6]],
  ];
  it.each(cases)('%s: same weights after 4 steps, replicas in sync, no leaks', async (_, spec, batch, shardSizes) => {
    const model = residualNet();
    const reference = copyOf(model);
    const data = batches(4, batch, 7);
    const workers = shardSizes?.length ?? 2;
    const trainer = await DataParallelTrainer.create({
      model,
      workers,
      backend: 'wasm',
      optimizer: spec,
      loss: 'softmaxCrossEntropy',
    });
    try {
      const losses: number[] = [];
      const tensorCounts: number[] = [];
      const replicaTensors: number[][] = [];
      for (const { x, y } of data) {
        const result = await trainer.step(x, y, shardSizes != null ? { shardSizes } : {});
        losses.push(result.loss);
        tensorCounts.push(tf.memory().numTensors);
        replicaTensors.push(result.replicaTensors);
        expect(result.shardSizes).toEqual(shardSizes ?? evenShards(batch, workers));
      }
      const expectedLosses = trainSingleProcess(reference, makeSame(spec), data);
      losses.forEach((loss, i) => expect(loss).toBeCloseTo(expectedLosses[i], 4));
      expectWeightsClose(model, reference, 1e-4);

      // The optimizer's state is created by the first step; after that nothing accumulates, here or in the replicas.
      expect(new Set(tensorCounts.slice(1)).size, `main-thread tensors per step: ${tensorCounts}`).toBe(1);
      expect(replicaTensors.slice(2), `replica tensors per step: ${JSON.stringify(replicaTensors)}`).toEqual(
        replicaTensors.slice(1, -1),
      );

      await trainer.sync();
      const own = model.getWeights().map((t) => t.dataSync());
      for (let r = 0; r < workers; r++) {
        const theirs = await trainer.replicaWeights(r);
        theirs.forEach((w, i) => expect(w, `replica ${r}, weight ${i}`).toEqual(own[i]));
      }
    } finally {
      await trainer.dispose();
    }
  });

  it('averages BatchNorm moving statistics across replicas; the first moving mean equals single-process', async () => {
    const model = residualNet({ batchNorm: true });
    const reference = copyOf(model);
    const [{ x, y }] = batches(1, 9, 3) as [{ x: tf.Tensor4D; y: tf.Tensor1D }];
    const trainer = await DataParallelTrainer.create({
      model,
      workers: 2,
      backend: 'wasm',
      optimizer: { name: 'sgd', learningRate: 0.1 },
      loss: 'softmaxCrossEntropy',
    });
    const movingMean = (m: tf.LayersModel) => m.nonTrainableWeights[0].read().dataSync();
    const before = movingMean(model).slice();
    try {
      await trainer.step(x, y);
      trainSingleProcess(reference, tf.train.sgd(0.1), [{ x, y }]);
      expect(Array.from(movingMean(model)).some((v, i) => v !== before[i])).toBe(true);
      const [got, want] = [movingMean(model), movingMean(reference)];
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
      // Every replica receives the merged statistics.
      await trainer.sync();
      const state = model.nonTrainableWeights.map((w) => w.read().dataSync());
      const first = model.trainableWeights.length;
      for (let r = 0; r < 2; r++) {
        const theirs = await trainer.replicaWeights(r);
        state.forEach((s, i) => expect(theirs[first + i]).toEqual(s));
      }
    } finally {
      await trainer.dispose();
    }
  });
});

describe('DataParallelTrainer with custom layers, errors and shutdown', () => {
  const sgd = { name: 'sgd', learningRate: 0.1 } as const;
  const denseThen = (layer: tf.layers.Layer) =>
    tf.sequential({
      layers: [
        tf.layers.dense({ units: 4, inputShape: [3], kernelInitializer: tf.initializers.glorotUniform({ seed: 3 }) }),
        layer,
      ],
    });
  const [{ x, y }] = [
    { x: tf.tensor2d(randomValues(seededRandom(5), 6 * 3), [6, 3]), y: tf.tensor1d([0, 1, 2, 3, 0, 1], 'int32') },
  ];

  it('registers custom layers in the workers through `imports`, and says so when they are missing', async () => {
    const model = denseThen(new TestOnlyScale({}));
    await expect(
      DataParallelTrainer.create({ model, workers: 1, backend: 'cpu', optimizer: sgd, loss: 'softmaxCrossEntropy' }),
    ).rejects.toThrow(/TestOnlyScale[\s\S]*name the modules that register them in `imports`/);

    const reference = denseThen(new TestOnlyScale({}));
    reference.setWeights(model.getWeights());
    const trainer = await DataParallelTrainer.create({
      model,
      workers: 2,
      backend: 'cpu',
      optimizer: sgd,
      loss: 'softmaxCrossEntropy',
      imports: [parallelLayersModule],
    });
    try {
      for (let i = 0; i < 2; i++) await trainer.step(x, y);
    } finally {
      await trainer.dispose();
    }
    trainSingleProcess(reference, tf.train.sgd(0.1), [
      { x, y },
      { x, y },
    ]);
    expectWeightsClose(model, reference, 1e-4);
    expect(Array.from(model.getWeights()[2].dataSync()).some((v) => v !== 1)).toBe(true); // the scale trained
  });

  it('rejects a step with the replica error, then still disposes cleanly', async () => {
    const model = denseThen(new TestOnlyFailsInTraining({}));
    const trainer = await DataParallelTrainer.create({
      model,
      workers: 2,
      backend: 'cpu',
      optimizer: sgd,
      loss: 'softmaxCrossEntropy',
      imports: [parallelLayersModule],
    });
    await expect(trainer.step(x, y)).rejects.toThrow(/^Replica [01]: TestOnlyFailsInTraining does not train\.$/);
    await expect(trainer.dispose()).resolves.toBeUndefined();
  });

  it('refuses bad inputs in the calling thread, naming what it received', async () => {
    const trainer = await DataParallelTrainer.create({
      model: residualNet(),
      workers: 2,
      backend: 'cpu',
      optimizer: sgd,
      loss: 'softmaxCrossEntropy',
    });
    try {
      const labels = tf.tensor1d([0, 1, 2], 'int32');
      await expect(trainer.step(tf.zeros([3, 9, 8, 3]), labels)).rejects.toThrow(
        'xs has shape [3,9,8,3], but the model takes inputs of shape [null,8,8,3]',
      );
      await expect(trainer.step(tf.zeros([3, 8, 8, 3]), labels, { shardSizes: [2, 2] })).rejects.toThrow(
        'shardSizes must be 2 non-negative integers adding up to the batch size 3; received [2,2]',
      );
      await expect(trainer.step(tf.zeros([3, 8, 8, 3]), tf.zeros([3, 3]))).rejects.toThrow(
        "loss 'softmaxCrossEntropy' needs targets of shape [3] (class labels) or [3,4] for a model whose output " +
          'shape is [null,4]; received ys of shape [3,3]',
      );
      await expect(trainer.step(tf.zeros([3, 8, 8, 3]), labels)).resolves.toMatchObject({ shardSizes: [2, 1] });
    } finally {
      await trainer.dispose();
    }
  });

  it('disposes: replicas free every tensor and their threads exit; later calls are refused', async () => {
    const trainer = await DataParallelTrainer.create({
      model: residualNet(),
      workers: 2,
      backend: 'wasm',
      optimizer: sgd,
      loss: 'softmaxCrossEntropy',
    });
    const [{ x: images, y: labels }] = batches(1, 4, 1) as [{ x: tf.Tensor4D; y: tf.Tensor1D }];
    await trainer.step(images, labels);
    await expect(trainer.dispose()).resolves.toBeUndefined();
    await expect(trainer.step(images, labels)).rejects.toThrow('This DataParallelTrainer has been disposed.');
    await expect(trainer.sync()).rejects.toThrow('has been disposed');
  });
});

function makeSame(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum);
    case 'adam':
      return tf.train.adam(spec.learningRate);
  }
}
