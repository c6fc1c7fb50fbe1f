import * as tf from '@tensorflow/tfjs';
import { positiveInteger } from '../blocks/checks.js';
import { SkipConfigError } from '../errors.js';
import { formatShape } from '../shapes.js';
import { SkipConnection } from '../skip_connection.js';
import { zooDefaults, type ZooArgs } from './options.js';

export interface UNetArgs extends ZooArgs {
  /** Channels of the first level; each level down doubles them (default 16; 64 in the paper). */
  filters?: number;
  /** Number of 2x2 down-samplings (default 3; 4 in the paper). Height and width must divide by `2^depth`. */
  depth?: number;
}

const conv3 = (filters: number) => tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: 'heNormal' });

/** One level: two convs, then (above the bottom) a concat skip around everything below, then two convs. */
function level(filters: number, remaining: number): tf.layers.Layer[] {
  if (remaining === 0) return [conv3(filters), conv3(filters)];
  const below = new SkipConnection({
    mainPath: [
      tf.layers.maxPooling2d({ poolSize: 2 }),
      ...level(2 * filters, remaining - 1),
      tf.layers.conv2dTranspose({ filters, kernelSize: 2, strides: 2, padding: 'same' }),
    ],
    how: 'concat',
  });
  return [conv3(filters), conv3(filters), below, conv3(filters), conv3(filters)];
}

/**
 * U-Net (Ronneberger, Fischer & Brox 2015, "U-Net: Convolutional Networks
 * for Biomedical Image Segmentation"): at each level two 3x3 convs, a 2x2 max
 * pool down to the next level and a 2x2 up-convolution back, whose output is
 * concatenated with the level's features by a SkipConnection; the long skips
 * are nested, one inside the other. Convolutions are `'same'`-padded, so the
 * output keeps the input's height and width: per-pixel logits for `classes`.
 */
export function unet(args: UNetArgs = {}): tf.Sequential {
  const { inputShape, classes } = zooDefaults(args, 'unet', 3);
  const filters = positiveInteger(args.filters ?? 16, 'unet filters');
  const depth = positiveInteger(args.depth ?? 3, 'unet depth');
  const step = 2 ** depth;
  if (inputShape[0]! % step !== 0 || inputShape[1]! % step !== 0) {
    throw new SkipConfigError(`unet with depth ${depth} needs height and width divisible by ${step}, but received inputShape ${formatShape(inputShape)}`);
  }
  return tf.sequential({
    name: 'unet',
    layers: [tf.layers.inputLayer({ inputShape }), ...level(filters, depth), tf.layers.conv2d({ filters: classes, kernelSize: 1 })],
  });
}
