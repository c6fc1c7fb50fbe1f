import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { transition, transitionChannels } from './index.js';

describe('transition', () => {
  it('compresses to floor(θ·m) channels and halves the resolution', () => {
    const model = tf.sequential({
      layers: [tf.layers.inputLayer({ inputShape: [8, 8, 21] }), ...transition({ channels: 21, compression: 0.5 })],
    });
    expect(model.outputShape).toEqual([null, 4, 4, 10]);
    expect(transitionChannels(21, 0.5)).toBe(10);
    expect(transition({ channels: 6 }).map((l) => l.getClassName())).toEqual([
      'BatchNormalization',
      'ReLU',
      'Conv2D',
      'AveragePooling2D',
    ]);
  });

  it('adds Dropout after the convolution when asked', () => {
    expect(transition({ channels: 6, dropRate: 0.2 }).map((l) => l.getClassName())).toEqual([
      'BatchNormalization',
      'ReLU',
      'Conv2D',
      'Dropout',
      'AveragePooling2D',
    ]);
  });

  it('refuses bad arguments, quoting them', () => {
    expect(() => transition({ channels: 8, compression: 1.5 })).toThrow(
      /transition compression must be in \(0, 1\], but received 1.5/,
    );
    expect(() => transition({ channels: -1 })).toThrow(
      /transition channels must be a positive integer, but received -1/,
    );
  });
});
