import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { apesBlock } from './index.js';

describe('apesBlock (ApesNet, Wu et al. 2016)', () => {
  it('passes the layer contract', async () => {
    await checkLayerContract({
      makeLayer: () => apesBlock({ filters: 4, kernelSizes: [3, 1] })[0],
      inputShape: [5, 5, 3],
      params: 9 * 3 * 4 + 4 * 4 + 3 * 4 + 4 * 4,
      trainableWeights: 6,
      nonTrainableWeights: 4,
      trainingDiffers: true,
    });
  });

  it('adds two non-trivial parallel paths, inside a Sequential', () => {
    const model = tf.sequential({
      layers: [
        ...apesBlock({ filters: 8, inputShape: [16, 16, 3] }),
        tf.layers.globalAveragePooling2d({}),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const block = model.layers[0] as SkipConnection;
    expect(block.how).toBe('add');
    expect(block.mainPath[0].getConfig()['kernelSize']).toEqual([3, 3]);
    expect(block.skipPath[0].getConfig()['kernelSize']).toEqual([5, 5]);
    expect(model.outputShape).toEqual([null, 2]);
    expect(block.countParams()).toBe(9 * 3 * 8 + 4 * 8 + 25 * 3 * 8 + 4 * 8);
  });

  it('refuses bad kernel sizes, quoting them', () => {
    expect(() => apesBlock({ filters: 4, kernelSizes: [3] as never })).toThrow(/two kernel sizes, but received \[3\]/);
    expect(() => apesBlock({ filters: 4, kernelSizes: [3, 0] })).toThrow(
      /kernelSizes\[1\] must be a positive integer, but received 0/,
    );
  });
});
