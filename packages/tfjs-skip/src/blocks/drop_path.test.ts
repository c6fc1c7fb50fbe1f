import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { dropPath } from './index.js';

describe('DropPath', () => {
  it('passes the layer contract, alone and on a residual branch', async () => {
    await checkLayerContract({
      makeLayer: () => dropPath({ rate: 0.5 }),
      inputShape: [4, 4, 2],
      params: 0,
      trainableWeights: 0,
      trainingDiffers: true,
    });
    await checkLayerContract({
      makeLayer: () => new SkipConnection({ mainPath: [tf.layers.dense({ units: 3 }), dropPath({ rate: 0.3 })] }),
      inputShape: [3],
      params: 12,
      trainingDiffers: true,
    });
  });

  it('is the identity in inference', () => {
    const x = tf.randomNormal([16, 5, 5, 3]);
    const layer = dropPath({ rate: 0.9 });
    expect(tf.max(tf.abs(tf.sub(layer.apply(x) as tf.Tensor, x))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(layer.apply(x, { training: false }) as tf.Tensor, x))).dataSync()[0]).toBe(0);
  });

  it('in training zeroes whole samples at the rate and scales the rest by 1 / keep, keeping the mean', () => {
    const rate = 0.25;
    const samples = 4000;
    const x = tf.ones([samples, 3, 2]);
    const y = (dropPath({ rate }).apply(x, { training: true }) as tf.Tensor).reshape([samples, 6]);
    const rows = y.arraySync() as number[][];
    // Each sample is dropped or kept whole: every row is all 0 or all 1 / keep.
    expect(rows.every((r) => r.every((v) => v === 0) || r.every((v) => Math.abs(v - 1 / (1 - rate)) < 1e-6))).toBe(
      true,
    );
    const dropped = rows.filter((r) => r[0] === 0).length / samples;
    expect(dropped).toBeGreaterThan(rate - 0.03); // 4.4 standard deviations
    expect(dropped).toBeLessThan(rate + 0.03);
    expect(Math.abs(tf.mean(y).dataSync()[0] - 1)).toBeLessThan(0.05);
  });

  it('draws a new mask at every call', () => {
    const x = tf.ones([64, 2]);
    const layer = dropPath({ rate: 0.5 });
    const a = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    const b = (layer.apply(x, { training: true }) as tf.Tensor).dataSync();
    expect(Array.from(a)).not.toEqual(Array.from(b));
  });

  it('refuses rates outside [0, 1), quoting them', () => {
    expect(() => dropPath({ rate: 1 })).toThrow(/DropPath rate must be a number in \[0, 1\), but received 1/);
    expect(() => dropPath({ rate: '0.1' as never })).toThrow(/received "0.1"/);
  });
});
