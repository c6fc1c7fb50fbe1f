import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { countCorrect } from './metrics.js';

describe('countCorrect', () => {
  it('counts the rows whose largest score is at the label, the same for logits and their probabilities', () => {
    const logits = tf.tensor2d([
      [3, 1, 0],
      [0, -1, 2],
      [1, 4, 4.5],
    ]);
    const labels = tf.tensor1d([0, 1, 2], 'int32');
    expect(countCorrect(logits, labels).dataSync()[0]).toBe(2);
    expect(countCorrect(tf.softmax(logits), labels).dataSync()[0]).toBe(2);
  });
});
