import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from '../loss.js';
import { smoothedTargets } from './label_smoothing.js';

describe('smoothedTargets', () => {
  it('puts 1 - eps + eps/K on the label and eps/K elsewhere', () => {
    const t = smoothedTargets(tf.tensor1d([2, 0], 'int32'), 4, 0.1);
    const rows = t.arraySync();
    expect(rows[0]?.map((v) => +v.toFixed(6))).toEqual([0.025, 0.025, 0.925, 0.025]);
    expect(rows[1]?.map((v) => +v.toFixed(6))).toEqual([0.925, 0.025, 0.025, 0.025]);
    expect(smoothedTargets(tf.tensor1d([1], 'int32'), 3, 0).arraySync()).toEqual([[0, 1, 0]]);
    expect(() => smoothedTargets(tf.tensor1d([1], 'int32'), 3, 1)).toThrow(/\[0, 1\), received 1/);
  });

  it('raises the loss of a confident right answer in the training loss', () => {
    // The logits of these probabilities: softmax(log p) = p, so the loss from logits is the cross-entropy of p.
    const logits = tf.log(tf.tensor2d([[0.98, 0.01, 0.01]]));
    const ys = tf.tensor1d([0], 'int32');
    const plain = softmaxCrossEntropy(logits, ys).dataSync()[0];
    const smooth = softmaxCrossEntropy(logits, ys, 0.1).dataSync()[0];
    const expected = -(0.9 + 0.1 / 3) * Math.log(0.98) - 2 * (0.1 / 3) * Math.log(0.01);
    expect(plain).toBeCloseTo(-Math.log(0.98), 5);
    expect(smooth).toBeCloseTo(expected, 4);
  });
});
