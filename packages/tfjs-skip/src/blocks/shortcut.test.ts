import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { checkLayerContract } from '../testing/index.js';
import { Shortcut, shortcut } from './index.js';

describe('Shortcut', () => {
  it.each([
    ['identity (same channels, stride 1)', { filters: 4 }, [5, 5, 4], 0, 0, 0, false],
    ['projection: channels change', { filters: 6 }, [5, 5, 4], 4 * 6 + 4 * 6, 3, 2, true],
    ['projection: stride 2 and channels', { filters: 8, strides: 2 }, [5, 5, 4], 4 * 8 + 4 * 8, 3, 2, true],
    ['projection without BatchNorm', { filters: 8, strides: 2, batchNorm: false }, [5, 5, 4], 4 * 8, 1, 0, false],
    ['zeroPad (option A), parameter-free', { filters: 8, strides: 2, kind: 'zeroPad' }, [5, 5, 4], 0, 0, 0, false],
  ] as const)(
    '%s passes the layer contract',
    async (_name, args, inputShape, params, trainable, nonTrainable, trainingDiffers) => {
      await checkLayerContract({
        makeLayer: () => shortcut({ ...args }),
        inputShape: [...inputShape],
        params,
        trainableWeights: trainable,
        nonTrainableWeights: nonTrainable,
        trainingDiffers,
      });
    },
  );

  it('option A subsamples every other pixel and appends zero channels', () => {
    const x = tf.range(0, 4 * 4 * 2).reshape([1, 4, 4, 2]);
    const y = shortcut({ filters: 3, strides: 2, kind: 'zeroPad' }).apply(x) as tf.Tensor;
    expect(y.shape).toEqual([1, 2, 2, 3]);
    // pixels (0,0), (0,2), (2,0), (2,2), channels [c0, c1, 0]
    expect(Array.from(y.dataSync())).toEqual([0, 1, 0, 4, 5, 0, 16, 17, 0, 20, 21, 0]);
  });

  it('matches a strided "same" conv on odd sizes (ceil(h / s))', () => {
    const layer = shortcut({ filters: 8, strides: 2, kind: 'zeroPad' });
    expect(layer.computeOutputShape([null, 7, 9, 4])).toEqual([null, 4, 5, 8]);
    expect((layer.apply(tf.ones([1, 7, 9, 4])) as tf.Tensor).shape).toEqual([1, 4, 5, 8]);
    const conv = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same' });
    expect(conv.computeOutputShape([null, 7, 9, 4])).toEqual([null, 4, 5, 8]);
  });

  it('names its projection weights under its own name, so a saved model reloads them', () => {
    const layer = shortcut({ name: 'sc', filters: 8, strides: 2 });
    layer.apply(tf.input({ shape: [4, 4, 2] }));
    expect(layer.weights.map((w) => w.originalName)).toEqual([
      'sc/conv/kernel',
      'sc/bn/gamma',
      'sc/bn/beta',
      'sc/bn/moving_mean',
      'sc/bn/moving_variance',
    ]);
  });

  it('refuses bad arguments and shapes, quoting them', () => {
    expect(() => shortcut({ filters: 0 })).toThrow(/Shortcut filters must be a positive integer, but received 0/);
    expect(() => shortcut({ filters: 4, kind: 'C' as never })).toThrow(/'projection', 'zeroPad', but received "C"/);
    expect(() => shortcut({ filters: 2, kind: 'zeroPad' }).apply(tf.input({ shape: [4, 4, 3] }))).toThrow(
      /can only add channels.*\[null,4,4,3\] has 3 > filters 2/,
    );
    expect(() => shortcut({ filters: 2 }).apply(tf.input({ shape: [3] }))).toThrow(
      /NHWC images \(rank 4\), but received input of shape \[null,3\]/,
    );
    expect(new Shortcut({ filters: 4 }).getConfig()).toMatchObject({
      filters: 4,
      strides: 1,
      kind: 'projection',
      batchNorm: true,
    });
  });
});
