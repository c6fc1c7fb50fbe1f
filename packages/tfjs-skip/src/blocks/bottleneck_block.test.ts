import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { bottleneckBlock } from './index.js';

const convBn = (cin: number, cout: number, k: number) => k * k * cin * cout + 4 * cout;

describe('bottleneckBlock', () => {
  it.each([
    [
      'identity shortcut (16 → 4 → 16)',
      { filters: 4 },
      [5, 5, 16],
      convBn(16, 4, 1) + convBn(4, 4, 3) + convBn(4, 16, 1),
      9,
      6,
    ],
    [
      'projection, stride 2 (8 → 4 → 16)',
      { filters: 4, strides: 2 },
      [5, 5, 8],
      convBn(8, 4, 1) + convBn(4, 4, 3) + convBn(4, 16, 1) + convBn(8, 16, 1),
      12,
      8,
    ],
    [
      'pre-activation, expansion 2',
      { filters: 4, expansion: 2, preActivation: true },
      [5, 5, 8],
      4 * 8 + 8 * 4 + 4 * 4 + 9 * 4 * 4 + 4 * 4 + 4 * 8,
      9,
      6,
    ],
  ] as const)('%s passes the layer contract', async (_name, args, inputShape, params, trainable, nonTrainable) => {
    await checkLayerContract({
      makeLayer: () => bottleneckBlock({ ...args })[0],
      inputShape: [...inputShape],
      params,
      trainableWeights: trainable,
      nonTrainableWeights: nonTrainable,
      trainingDiffers: true,
    });
  });

  it('outputs filters * expansion channels, the stride on its 3x3 conv', () => {
    const [block] = bottleneckBlock({ filters: 8, strides: 2 }) as [SkipConnection];
    expect((block.apply(tf.input({ shape: [8, 8, 16] })) as tf.SymbolicTensor).shape).toEqual([null, 4, 4, 32]);
    const convs = block.mainPath.filter((l) => l.getClassName() === 'Conv2D').map((l) => l.getConfig());
    expect(convs.map((c) => [c['kernelSize'], c['strides']])).toEqual([
      [
        [1, 1],
        [1, 1],
      ],
      [
        [3, 3],
        [2, 2],
      ],
      [
        [1, 1],
        [1, 1],
      ],
    ]);
  });

  it('refuses a bad expansion, quoting it', () => {
    expect(() => bottleneckBlock({ filters: 4, expansion: 0 })).toThrow(
      /expansion must be a positive integer, but received 0/,
    );
  });
});
