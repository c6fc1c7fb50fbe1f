import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './loss.js';

describe('softmaxCrossEntropy', () => {
  it('equals the cross-entropy of the softmax probabilities, averaged over the batch', () => {
    const logits = [
      [2, -1, 0.5],
      [-3, 4, 1],
    ];
    const labels = [2, 1];
    const expected =
      logits
        .map((row, i) => {
          const sum = row.reduce((s, v) => s + Math.exp(v), 0);
          return -Math.log(Math.exp(row[labels[i]!]!) / sum);
        })
        .reduce((a, b) => a + b) / 2;
    const loss = softmaxCrossEntropy(tf.tensor2d(logits), tf.tensor1d(labels, 'int32'));
    expect(loss.rank).toBe(0);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('stays finite and exact where probabilities round to 0 (logits far apart)', () => {
    const loss = softmaxCrossEntropy(tf.tensor2d([[200, 0]]), tf.tensor1d([1], 'int32')).dataSync()[0];
    expect(loss).toBeCloseTo(200, 3); // log(1 + e^200) - 0
  });

  it('takes labels of any rank, the classes on the last axis (a segmentation map)', () => {
    const logits = tf.tensor4d([0, 5, 3, 0, 1, 1, 2, 2], [1, 2, 2, 2]);
    const labels = tf.tensor3d([1, 0, 0, 1], [1, 2, 2], 'int32');
    const perPixel = [-Math.log(1 / (1 + Math.exp(-5))), -Math.log(1 / (1 + Math.exp(-3))), Math.log(2), Math.log(2)];
    expect(softmaxCrossEntropy(logits, labels).dataSync()[0]).toBeCloseTo(perPixel.reduce((a, b) => a + b) / 4, 5);
  });

  it('refuses label smoothing outside [0, 1)', () => {
    expect(() => softmaxCrossEntropy(tf.tensor2d([[1, 2]]), tf.tensor1d([0], 'int32'), -0.1)).toThrow(
      /label smoothing must be in \[0, 1\), received -0.1/,
    );
  });
});
