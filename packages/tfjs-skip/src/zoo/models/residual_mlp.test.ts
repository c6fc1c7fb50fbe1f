import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildZooModel, zooModel } from '../index.js';

describe('the residual-mlp entry', () => {
  it('wraps each block of the mlp in a SkipConnection: the same weights, a different function', () => {
    const residual = buildZooModel(zooModel('residual-mlp'), { depth: 6, width: 8, inputShape: [4, 4, 1] });
    const plain = buildZooModel(zooModel('mlp'), { depth: 6, width: 8, inputShape: [4, 4, 1] });
    expect(residual.name).toBe('residual_mlp6');
    expect(residual.layers.filter((l) => l.getClassName() === 'SkipConnection')).toHaveLength(2);
    expect(residual.weights.map((w) => w.shape)).toEqual(plain.weights.map((w) => w.shape));
    plain.setWeights(residual.getWeights());
    const x = tf.randomNormal([3, 4, 4, 1], 0, 1, 'float32', 7);
    const diff = tf.tidy(
      () => tf.max(tf.abs(tf.sub(residual.predict(x) as tf.Tensor, plain.predict(x) as tf.Tensor))).dataSync()[0],
    );
    expect(diff).toBeGreaterThan(1e-3);
    tf.dispose(x);
    residual.dispose();
    plain.dispose();
  });
});
