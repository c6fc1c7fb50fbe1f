import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../errors.js';
import { mlp } from '../index.js';

describe('mlp', () => {
  it('is a stem, (depth - 2) / 2 blocks of two dense layers and ReLU, and a classifier', () => {
    const model = mlp({ inputShape: [28, 28, 1], depth: 8, width: 32 });
    expect(model.name).toBe('plain_mlp8');
    expect(model.layers.filter((l) => l.getClassName() === 'Dense')).toHaveLength(8);
    expect(model.layers.filter((l) => l.getClassName() === 'ReLU')).toHaveLength(3);
    expect(model.countParams()).toBe(784 * 32 + 32 + 6 * (32 * 32 + 32) + 32 * 10 + 10);
    model.dispose();
  });

  it('refuses depths other than 2k + 2', () => {
    for (const depth of [3, 2, 7]) expect(() => mlp({ depth })).toThrow(ConfigError);
  });

  it('outputs logits for every image', () => {
    const model = mlp({ inputShape: [4, 4, 1], depth: 4, width: 8, classes: 3 });
    const y = model.predict(tf.ones([2, 4, 4, 1])) as tf.Tensor;
    expect(y.shape).toEqual([2, 3]);
    tf.dispose([y]);
    model.dispose();
  });
});
