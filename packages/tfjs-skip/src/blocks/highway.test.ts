import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkLayerContract } from '../testing/index.js';
import { highway } from './index.js';

const relDiff = (a: tf.Tensor, b: tf.Tensor) =>
  tf.tidy(() => tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(b).dataSync()[0]);

describe('Highway', () => {
  it.each([
    ['relu', [6]],
    ['tanh', [3, 5]],
  ] as const)('passes the layer contract (%s, input %j)', async (activation, inputShape) => {
    const units = inputShape[inputShape.length - 1];
    await checkLayerContract({
      makeLayer: () => highway({ activation, gateBias: -1 }),
      inputShape: [...inputShape],
      params: 2 * (units * units + units),
      trainableWeights: 4,
      nonTrainableWeights: 0,
    });
  });

  it('starts near the identity: gate bias -2 gives T ≈ sigmoid(-2) = 0.12', () => {
    const x = tf.randomNormal([256, 32], 0, 1, 'float32', 1);
    const layer = highway();
    const y = layer.apply(x) as tf.Tensor;
    const [, , , gateBias] = layer.getWeights();
    expect(Array.from(gateBias.dataSync()).every((b) => b === -2)).toBe(true);
    // y - x = T * (H - x), so the mean gate is what is left of the transform.
    expect(relDiff(y, x)).toBeLessThan(0.35);
    const open = highway({ gateBias: 0 });
    expect(relDiff(open.apply(x) as tf.Tensor, x)).toBeGreaterThan(2 * relDiff(y, x));
    // A strongly negative bias is the identity to float precision.
    expect(relDiff(highway({ gateBias: -20 }).apply(x) as tf.Tensor, x)).toBeLessThan(1e-6);
  });

  it('computes T * H(x) + (1 - T) * x from its weights', () => {
    const x = tf.randomNormal([4, 3]);
    const layer = highway({ activation: 'tanh', gateBias: -1 });
    const y = layer.apply(x) as tf.Tensor;
    const [wh, bh, wt, bt] = layer.getWeights() as [tf.Tensor2D, tf.Tensor, tf.Tensor2D, tf.Tensor];
    const h = tf.tanh(tf.add(tf.matMul(x as tf.Tensor2D, wh), bh));
    const t = tf.sigmoid(tf.add(tf.matMul(x as tf.Tensor2D, wt), bt));
    const expected = tf.add(tf.mul(t, h), tf.mul(tf.sub(1, t), x));
    expect(tf.max(tf.abs(tf.sub(y, expected))).dataSync()[0]).toBeLessThan(1e-6);
  });

  it('refuses unknown activations and unknown widths, quoting them', () => {
    expect(() => highway({ activation: 'swish' as never })).toThrow(
      /'relu', 'tanh', 'sigmoid', 'elu', 'linear', but received "swish"/,
    );
    expect(() => highway({ activation: 'constructor' as never })).toThrow(/received "constructor"/);
    expect(() => highway().apply(tf.input({ shape: [null] }))).toThrow(
      /needs a known last axis, but received input of shape \[null,null\]/,
    );
  });
});
