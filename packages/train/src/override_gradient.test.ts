import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { overrideGradient } from './override_gradient.js';

const gradOfSquare = (x: tf.Tensor) => tf.grad((t: tf.Tensor) => tf.square(t).sum())(x);

describe('overrideGradient', () => {
  it('tries the fast gradient first, falls back to the one it replaced on null, and chains owners', () => {
    const calls: string[] = [];
    overrideGradient('first', tf.Square, (dy, saved) => {
      calls.push('first');
      const [x] = saved as [tf.Tensor];
      return x.size === 2 ? { x: () => tf.mul(dy, 100) } : null;
    });
    overrideGradient('second', tf.Square, () => {
      calls.push('second');
      return null;
    });
    // Registering again under the same owner changes nothing.
    overrideGradient('first', tf.Square, () => {
      throw new Error('a second override by the same owner ran');
    });

    expect(Array.from(gradOfSquare(tf.tensor1d([1, 2])).dataSync())).toEqual([100, 100]);
    expect(calls).toEqual(['second', 'first']);
    // tfjs-core's 2x where the fast gradient declines.
    expect(Array.from(gradOfSquare(tf.tensor1d([1, 2, 3])).dataSync())).toEqual([2, 4, 6]);
    expect(calls).toEqual(['second', 'first', 'second', 'first']);
  });
});
