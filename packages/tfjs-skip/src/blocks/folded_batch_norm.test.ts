import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchNormalization } from './batch_norm.js';
import { foldingAllowed, runPathFolded, sweepFolds } from './folded_batch_norm.js';

/** conv → batch norm (→ ReLU) layers, built, with seeded weights and moving statistics away from 0 and 1. */
function path(bn: tf.layers.Layer, relu: boolean, seed = 1): tf.layers.Layer[] {
  const layers = [
    tf.layers.conv2d({ filters: 5, kernelSize: 3, padding: 'same', useBias: false }),
    bn,
    ...(relu ? [tf.layers.reLU()] : []),
  ];
  tf.tidy(() => layers.reduce((h, layer) => layer.apply(h) as tf.Tensor, tf.zeros([1, 6, 6, 3]) as tf.Tensor));
  tf.tidy(() => {
    for (const [i, layer] of layers.entries()) {
      layer.setWeights(
        layer.getWeights().map((w, j) => {
          const values = tf.randomNormal(w.shape, 0, 0.5, 'float32', seed + 10 * i + j);
          return layer.weights[j]!.name.includes('variance') ? tf.add(tf.abs(values), 0.3) : values;
        }),
      );
    }
  });
  return layers;
}

const inference = (layers: tf.layers.Layer[], x: tf.Tensor) =>
  layers.reduce((h, layer) => layer.apply(h, { training: false }) as tf.Tensor, x);

/** The worst difference relative to the largest magnitude of `expected`. */
function relativeError(actual: tf.Tensor, expected: tf.Tensor): number {
  return tf.tidy(
    () => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]! / tf.max(tf.abs(expected)).dataSync()[0]!,
  );
}

describe('runPathFolded: conv → batch norm (→ ReLU) at inference as one convolution', () => {
  const cases = [
    ["tfjs-skip's BatchNormalization, then ReLU", () => batchNormalization(), true],
    ["tfjs-layers' BatchNormalization, no ReLU", () => tf.layers.batchNormalization(), false],
    [
      'without gamma and beta (scale and center false)',
      () => batchNormalization({ scale: false, center: false }),
      true,
    ],
  ] as const;
  for (const [what, bn, relu] of cases) {
    it(`computes what the layers do: ${what}`, () => {
      const layers = path(bn(), relu);
      const x = tf.randomNormal([4, 6, 6, 3], 0, 1, 'float32', 7);
      const [folded, layered] = [runPathFolded(layers, x), inference(layers, x)];
      expect(relativeError(folded, layered)).toBeLessThan(1e-5);
      if (relu) expect(folded.min().dataSync()[0]).toBe(0);
      tf.dispose([x, folded, layered, ...layers.flatMap((l) => l.weights.map((w) => w.read()))]);
      sweepFolds();
    });
  }

  it('folds once, again after the weights are assigned, and frees the folds of disposed weights', () => {
    sweepFolds();
    const layers = path(batchNormalization(), true);
    const weights = layers.flatMap((l) => l.weights.map((w) => w.read()));
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
    const withLayers = tf.memory().numTensors;
    tf.dispose(runPathFolded(layers, x));
    tf.dispose(runPathFolded(layers, x));
    // One folded filter and one bias, made once.
    expect(tf.memory().numTensors - withLayers).toBe(2);
    const first = runPathFolded(layers, x);
    tf.tidy(() => layers[1]!.setWeights(layers[1]!.getWeights().map((w) => tf.mul(w, 2))));
    const second = runPathFolded(layers, x);
    // The new fold replaced the old one: two outputs besides it.
    expect(tf.memory().numTensors - withLayers).toBe(2 + 2);
    const expected = inference(layers, x);
    expect(relativeError(second, expected)).toBeLessThan(1e-5);
    expect(relativeError(first, second)).toBeGreaterThan(1e-2);
    tf.dispose([first, second, expected, x, ...weights]);
    const beforeSweep = tf.memory().numTensors;
    expect(sweepFolds()).toBe(0);
    // The fold of the disposed weights, freed.
    expect(beforeSweep - tf.memory().numTensors).toBe(2);
  });

  it('is not allowed while a gradient is recorded', () => {
    expect(foldingAllowed()).toBe(true);
    let inside: boolean | undefined;
    tf.grad((x: tf.Tensor) => {
      inside = foldingAllowed();
      return tf.sum(x);
    })(tf.ones([2]));
    expect(inside).toBe(false);
  });
});
