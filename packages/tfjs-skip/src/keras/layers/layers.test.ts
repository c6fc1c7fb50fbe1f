import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkLayerContract } from '../../testing/index.js';
import {
  ConvNeXtLayerScale,
  CustomScaleLayer,
  GlobalAveragePooling2DKeepDims,
  GroupedConv2D,
  Normalization,
  StochasticDepth,
} from './index.js';

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('the keras.applications layers pass the layer contract', () => {
  it('Normalization: adapted weights (mean, variance, count), fixed values, inverted, over two axes', async () => {
    await checkLayerContract({
      makeLayer: () => new Normalization({ axis: -1 }),
      inputShape: [3, 3, 4],
      params: 4 + 4 + 1,
      trainableWeights: 0,
      nonTrainableWeights: 3,
    });
    await checkLayerContract({
      makeLayer: () => new Normalization({ mean: [1, 2, 3], variance: [4, 0.25, 1] }),
      inputShape: [2, 2, 3],
      params: 0,
    });
    await checkLayerContract({
      makeLayer: () => new Normalization({ mean: 2, variance: 9, invert: true }),
      inputShape: [5],
    });
    await checkLayerContract({
      makeLayer: () => new Normalization({ axis: [1, 2] }),
      inputShape: [2, 3, 4],
      params: 6 + 6 + 1,
    });
  });

  it('GroupedConv2D: depthwise (groups = channels) and general groups, strided, same and valid', async () => {
    await checkLayerContract({
      makeLayer: () => new GroupedConv2D({ filters: 4, kernelSize: 3, groups: 4, padding: 'same' }),
      inputShape: [5, 5, 4],
      params: 3 * 3 * 1 * 4 + 4,
      trainableWeights: 2,
    });
    await checkLayerContract({
      makeLayer: () => new GroupedConv2D({ filters: 6, kernelSize: 2, groups: 2, strides: 2, activation: 'relu' }),
      inputShape: [6, 6, 4],
      params: 2 * 2 * 2 * 6 + 6,
    });
  });

  it('ConvNeXt LayerScale, StochasticDepth, GlobalAveragePooling2D(keepdims)', async () => {
    await checkLayerContract({
      makeLayer: () => new ConvNeXtLayerScale({ initValues: 0.5, projectionDim: 4 }),
      inputShape: [3, 3, 4],
      params: 4,
      trainableWeights: 1,
    });
    await checkLayerContract({
      makeLayer: () => new StochasticDepth({ dropPathRate: 0.5 }),
      inputShape: [3, 4],
      params: 0,
      trainingDiffers: true,
      skipGradientCheck: true,
    });
    await checkLayerContract({
      makeLayer: () => new GlobalAveragePooling2DKeepDims(),
      inputShape: [3, 4, 5],
      params: 0,
    });
  });
});

describe('what they compute (Keras 3.15 semantics)', () => {
  it('Normalization: (x - mean) / max(sqrt(var), 1e-7), its inverse, and adapt (population variance)', () => {
    const x = tf.tensor([
      [1, 10],
      [3, 30],
      [5, 20],
    ]);
    const layer = new Normalization();
    layer.adapt(x);
    expect(Array.from(layer.getWeights()[0].dataSync())).toEqual([3, 20]);
    expect(layer.getWeights()[1].dataSync()[0]).toBeCloseTo(8 / 3, 5);
    expect(layer.getWeights()[2].dataSync()[0]).toBe(3);
    const y = layer.apply(x) as tf.Tensor;
    expect(maxDiff(tf.mean(y, 0), tf.zeros([2]))).toBeLessThan(1e-6);
    const fixed = new Normalization({ mean: [1, 2], variance: [4, 0] });
    expect(Array.from((fixed.apply(tf.tensor([[3, 2]])) as tf.Tensor).dataSync())).toEqual([1, 0]);
    const inverse = new Normalization({ mean: [1, 2], variance: [4, 1], invert: true });
    expect(Array.from((inverse.apply(tf.tensor([[1, 1]])) as tf.Tensor).dataSync())).toEqual([3, 3]);
  });

  it('Normalization refuses what Keras refuses, quoting it', () => {
    expect(() => new Normalization({ mean: [1] })).toThrow(/both mean and variance/);
    expect(() => new Normalization({ mean: [1, 2], variance: [1] })).toThrow(/same shape/);
    expect(() => new Normalization({ axis: 5 }).apply(tf.input({ shape: [3] }))).toThrow(/outside the input's 2 axes/);
    expect(() => new Normalization({ mean: 1, variance: 1 }).adapt(tf.ones([2, 2]))).toThrow(/fixed mean/);
  });

  it('GroupedConv2D is a conv2d per group, concatenated (the depthwise path included)', () => {
    for (const [groups, channels, filters] of [
      [3, 3, 6],
      [2, 4, 6],
    ]) {
      const layer = new GroupedConv2D({
        filters,
        kernelSize: 3,
        groups,
        padding: 'same',
        biasInitializer: tf.initializers.ones(),
      });
      const x = tf.randomNormal([2, 5, 5, channels], 0, 1, 'float32', 1);
      const y = layer.apply(x) as tf.Tensor;
      const [kernel, bias] = layer.getWeights();
      const per = filters / groups;
      const expected = tf.concat(
        tf
          .split(x, groups, 3)
          .map((part, g) =>
            tf.conv2d(
              part as tf.Tensor4D,
              tf.slice(kernel, [0, 0, 0, g * per], [-1, -1, -1, per]) as tf.Tensor4D,
              1,
              'same',
            ),
          ),
        3,
      );
      expect(maxDiff(y, tf.add(expected, bias))).toBeLessThan(1e-5);
    }
    expect(() => new GroupedConv2D({ filters: 5, kernelSize: 1, groups: 2 })).toThrow(/multiple of groups/);
    expect(() =>
      new GroupedConv2D({ filters: 4, kernelSize: 1, groups: 4 }).apply(tf.input({ shape: [3, 3, 6] })),
    ).toThrow(/multiple of groups \(4\); received shape \[null,3,3,6\]/);
  });

  it('CustomScaleLayer adds the scaled branch; StochasticDepth is the identity in inference', () => {
    const x = tf.randomNormal([2, 3, 3, 4]);
    const branch = tf.randomNormal([2, 3, 3, 4]);
    const layer = new CustomScaleLayer({ scale: 0.17 });
    expect(maxDiff(layer.apply([x, branch]) as tf.Tensor, tf.add(x, tf.mul(branch, 0.17)))).toBe(0);
    expect(() => layer.apply(x)).toThrow(/two inputs/);
    const a = tf.input({ shape: [3] });
    const b = tf.input({ shape: [4] });
    expect(() => new CustomScaleLayer({ scale: 1 }).apply([a, b])).toThrow(/\[null,3\] and \[null,4\]/);
    expect(maxDiff(new StochasticDepth({ dropPathRate: 0.9 }).apply(x) as tf.Tensor, x)).toBe(0);
    expect(new StochasticDepth({ dropPathRate: 0.1 }).getConfig()).toMatchObject({ dropPathRate: 0.1 });
    expect(new CustomScaleLayer({ scale: 0.1 }).getConfig()).toMatchObject({ scale: 0.1 });
  });

  it('hard_silu is Keras 3s x * relu6(x + 3) / 6, usable by name', () => {
    const x = tf.tensor([-4, -3, -1, 0, 1, 3, 4]);
    const y = tf.layers.activation({ activation: 'hardSilu' as 'relu' }).apply(x) as tf.Tensor;
    const expected = [-4, -3, -1, 0, 1, 3, 4].map((v) => (v * Math.min(6, Math.max(0, v + 3))) / 6);
    expect(maxDiff(y, tf.tensor(expected))).toBeLessThan(1e-6);
  });

  it('GlobalAveragePooling2DKeepDims keeps the pooled axes and refuses keepdims=false', () => {
    const x = tf.randomNormal([2, 3, 4, 5]);
    const y = new GlobalAveragePooling2DKeepDims().apply(x) as tf.Tensor;
    expect(y.shape).toEqual([2, 1, 1, 5]);
    expect(maxDiff(y, tf.mean(x, [1, 2], true))).toBe(0);
    expect(() => new GlobalAveragePooling2DKeepDims({ keepdims: false as true })).toThrow(/keepdims=false/);
  });
});
