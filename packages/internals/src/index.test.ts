import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  adamBetaPowers,
  adamState,
  batchNormFields,
  batchNormMomentum,
  conv2dBias,
  conv2dFields,
  engineTape,
  momentumState,
  offTape,
  setBatchNormMomentum,
  setLearningRate,
  stockBatchNormalization,
  TFJS_RANGE,
  TfjsInternalsError,
  unattachedSymbolicInput,
  variableOf,
  writeWeight,
} from './index.js';

/**
 * One test per read of TF.js internals, each on a live object of the
 * installed TF.js: when a release renames a member, the test fails with the
 * TfjsInternalsError the function throws, naming the member and the version.
 */
describe(`TF.js ${tf.version.tfjs} internals read by tfjs-skip (supported: ${TFJS_RANGE})`, () => {
  it('names the missing member, the installed version and the supported range', () => {
    const error = new TfjsInternalsError(['tf.engine().startTape']);
    expect(error.message).toContain(`tf.engine().startTape, which @tensorflow/tfjs ${tf.version.tfjs} does not have`);
    expect(error.message).toContain(`install @tensorflow/tfjs@${TFJS_RANGE}`);
    expect(() => batchNormMomentum(tf.layers.dense({ units: 1 }))).toThrow(
      /reads BatchNormalization\.momentum, which @tensorflow\/tfjs \d+\.\d+\.\d+ does not have/,
    );
  });

  it('the installed TF.js is in the supported range', () => {
    expect(tf.version.tfjs, `tfjs-skip supports TF.js ${TFJS_RANGE}`).toMatch(/^4\.22\./);
  });

  it("engine: startTape, endTape, scopedRun, tidy and the tape's state", () => {
    const engine = engineTape();
    const x = tf.variable(tf.scalar(3));
    const y = engine.scopedRun(
      () => engine.startTape(),
      () => engine.endTape(),
      () => engine.tidy('forward', () => tf.mul(x, x)),
    );
    const tape = engine.state.activeTape ?? [];
    const multiply = tape.find((node) => node.kernelName === 'Multiply');
    expect(typeof multiply?.gradient).toBe('function');
    expect(Object.values(multiply?.inputs ?? {}).map((input) => input.id)).toEqual([x.id, x.id]);
    expect(multiply?.outputs.map((output) => output.id)).toEqual([y.id]);
    engine.state.activeTape = null;
    tf.dispose([x, y]);
  });

  it('offTape: its ops are not recorded, so no gradient flows through them, and the tape goes on after it', () => {
    const x = tf.scalar(2);
    const taped: string[][] = [];
    const dx = tf.grad((input: tf.Tensor) => {
      const side = offTape(() => tf.mul(input, 5));
      taped.push((engineTape().state.activeTape ?? []).map((node) => node.kernelName));
      return tf.add(tf.mul(input, 3), side);
    })(x);
    expect(taped).toEqual([[]]);
    expect(dx.dataSync()[0], 'd(3x + 5x off the tape)/dx').toBe(3);
    expect(() =>
      offTape(() => {
        throw new Error('inside');
      }),
    ).toThrow('inside');
    const after = tf.grad((input: tf.Tensor) => tf.mul(input, input))(x);
    expect(after.dataSync()[0], 'recording resumes after a throw').toBe(4);
    tf.dispose([x, dx, after]);
  });

  it("LayerVariable: read() is the weight's tf.Variable, write() assigns it", () => {
    const layer = tf.layers.dense({ units: 2, inputShape: [3], useBias: false });
    layer.build([null, 3]);
    const kernel = layer.trainableWeights[0];
    const variable = variableOf(kernel);
    expect(variable).toBeInstanceOf(tf.Variable);
    writeWeight(kernel, tf.ones([3, 2]));
    expect(Array.from(variable.dataSync())).toEqual([1, 1, 1, 1, 1, 1]);
    variable.dispose();
  });

  it("BatchNormalization: tfjs-layers' registered class and its private fields", () => {
    const Stock = stockBatchNormalization();
    expect(Stock).toBe(tf.layers.batchNormalization({}).constructor);
    const layer = new Stock({ axis: -1, momentum: 0.9, epsilon: 1e-3 });
    layer.build([null, 4]);
    const fields = batchNormFields(layer);
    expect([fields.axis, fields.momentum, fields.epsilon, fields.center, fields.scale]).toEqual([
      -1,
      0.9,
      1e-3,
      true,
      true,
    ]);
    expect([fields.gamma, fields.beta, fields.movingMean, fields.movingVariance].map((w) => w?.shape)).toEqual([
      [4],
      [4],
      [4],
      [4],
    ]);
    setBatchNormMomentum(layer, 0.5);
    expect(batchNormMomentum(layer)).toBe(0.5);
    tf.dispose(layer.weights.map((weight) => variableOf(weight)));
  });

  it('Conv2D: its kernel, bias flag, activation and window once built', () => {
    const layer = tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', useBias: false });
    layer.apply(tf.zeros([1, 8, 8, 2]));
    const fields = conv2dFields(layer);
    expect(variableOf(fields.kernel).shape).toEqual([3, 3, 2, 4]);
    expect([fields.rank, fields.useBias, fields.activation.getClassName()]).toEqual([2, false, 'linear']);
    expect([fields.strides, fields.padding, fields.dataFormat, fields.dilationRate]).toEqual([
      [2, 2],
      'same',
      'channelsLast',
      [1, 1],
    ]);
    expect(() => conv2dFields(tf.layers.dense({ units: 1 }))).toThrow(/Conv2D\.rank.*Conv2D\.kernel/);
  });

  it('Conv2D: its bias variable, or null when it has none', () => {
    const withBias = tf.layers.conv2d({ filters: 4, kernelSize: 3 });
    withBias.apply(tf.zeros([1, 5, 5, 2]));
    expect(variableOf(conv2dBias(withBias)!).shape).toEqual([4]);
    const without = tf.layers.conv2d({ filters: 4, kernelSize: 3, useBias: false });
    without.apply(tf.zeros([1, 5, 5, 2]));
    expect(conv2dBias(without)).toBeNull();
    expect(() => conv2dBias(tf.layers.dense({ units: 1 }))).toThrow(/Conv2D\.rank/);
  });

  it('AdamOptimizer: its hyperparameters, beta powers and moments', () => {
    const optimizer = tf.train.adam(0.01, 0.8, 0.7, 1e-6);
    const x = tf.variable(tf.ones([2]));
    optimizer.applyGradients([{ name: x.name, tensor: tf.ones([2]) }]);
    const state = adamState(optimizer);
    expect([state.learningRate, state.beta1, state.beta2, state.epsilon]).toEqual([0.01, 0.8, 0.7, 1e-6]);
    expect(state.accBeta1.dataSync()[0]).toBeCloseTo(0.64, 6);
    expect(state.accumulatedFirstMoment[0]?.variable.shape).toEqual([2]);
    expect(state.accumulatedSecondMoment[0]?.originalName).toBe(`${x.name}/v`);
    expect(adamBetaPowers(optimizer)).toEqual([state.accBeta1, state.accBeta2]);
    setLearningRate(optimizer, 0.5);
    expect(adamState(optimizer).learningRate).toBe(0.5);
    optimizer.dispose();
    x.dispose();
  });

  it('MomentumOptimizer: its hyperparameters and accumulations; SGD takes its rate through setLearningRate', () => {
    const optimizer = tf.train.momentum(0.1, 0.9, true);
    const x = tf.variable(tf.ones([3]));
    optimizer.applyGradients([{ name: x.name, tensor: tf.ones([3]) }]);
    const state = momentumState(optimizer);
    expect([state.learningRate, state.momentum, state.useNesterov]).toEqual([0.1, 0.9, true]);
    expect(state.accumulations[0]?.variable.shape).toEqual([3]);
    setLearningRate(optimizer, 0.2);
    expect(adamBetaPowers(optimizer)).toBeNull(); // though \`optimizer instanceof tf.AdamOptimizer\` holds
    const sgd = tf.train.sgd(0.1);
    setLearningRate(sgd, 0.3);
    const before = x.dataSync()[0]!;
    sgd.applyGradients([{ name: x.name, tensor: tf.ones([3]) }]);
    expect(x.dataSync()[0]).toBeCloseTo(before - 0.3, 6);
    optimizer.dispose();
    sgd.dispose();
    x.dispose();
  });

  it('SymbolicTensor: one made by no layer takes layers applied to it', () => {
    const x = unattachedSymbolicInput('float32', [null, 3]);
    const dense = tf.layers.dense({ units: 4 });
    const y = dense.apply(x) as tf.SymbolicTensor;
    expect(y.shape).toEqual([null, 4]);
    expect(dense.outputShape).toEqual([null, 4]);
  });
});
