import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { layerScale, reZero } from './index.js';

describe('LayerScale and ReZero', () => {
  it('passes the layer contract: one scale per channel, or one scalar', async () => {
    await checkLayerContract({
      makeLayer: () => layerScale({ initValue: 0.5 }),
      inputShape: [3, 3, 4],
      params: 4,
      trainableWeights: 1,
    });
    await checkLayerContract({
      makeLayer: () => layerScale({ initValue: 0.5, perChannel: false }),
      inputShape: [5],
      params: 1,
      trainableWeights: 1,
    });
    await checkLayerContract({
      makeLayer: () => new SkipConnection({ mainPath: [tf.layers.dense({ units: 4 }), reZero()] }),
      inputShape: [4],
      params: 20 + 1,
    });
  });

  it('scales by its initial value; ReZero starts the residual block as the identity', () => {
    const x = tf.randomNormal([2, 6]);
    const scaled = layerScale({ initValue: 0.1 }).apply(x) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(scaled, tf.mul(x, 0.1)))).dataSync()[0]).toBeLessThan(1e-7);
    const block = new SkipConnection({ mainPath: [tf.layers.dense({ units: 6 }), reZero()] });
    expect(tf.max(tf.abs(tf.sub(block.apply(x) as tf.Tensor, x))).dataSync()[0]).toBe(0);
    expect(layerScale().getConfig()).toMatchObject({ initValue: 1e-5, perChannel: true });
  });

  it('learns its scale', async () => {
    const model = tf.sequential({ layers: [layerScale({ inputShape: [2], initValue: 0, perChannel: false })] });
    model.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    await model.fit(tf.ones([4, 2]), tf.fill([4, 2], 2), { epochs: 30, verbose: 0 });
    expect(model.getWeights()[0].dataSync()[0]).toBeCloseTo(2, 1);
  });

  it('refuses a non-finite initValue, quoting it', () => {
    expect(() => layerScale({ initValue: NaN })).toThrow(
      /LayerScale initValue must be a finite number, but received null/,
    );
  });
});
