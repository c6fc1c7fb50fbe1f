import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { positiveInteger, unitRate } from './checks.js';
import { bn, conv, relu } from './conv_bn.js';

/** Arguments of {@link transition}. */
export interface TransitionArgs {
  /** Channels coming in (the dense block's output). */
  channels: number;
  /** DenseNet-C compression `θ` in (0, 1]: the transition outputs `floor(θ * channels)` (default 1). */
  compression?: number;
  /** Dropout after the convolution (default 0). */
  dropRate?: number;
}

/**
 * A DenseNet transition layer between dense blocks: BN → ReLU → conv1x1 to
 * `floor(compression * channels)` → 2x2 average pooling, stride 2.
 */
export function transition(args: TransitionArgs): tf.layers.Layer[] {
  const channels = positiveInteger(args?.channels, 'transition channels');
  const theta = args.compression ?? 1;
  if (!(typeof theta === 'number' && theta > 0 && theta <= 1)) {
    throw new ConfigError(`transition compression must be in (0, 1], but received ${JSON.stringify(args.compression)}`);
  }
  const dropRate = unitRate(args.dropRate ?? 0, 'transition dropRate');
  return [
    bn(),
    relu(),
    conv(transitionChannels(channels, theta), 1),
    ...(dropRate > 0 ? [tf.layers.dropout({ rate: dropRate })] : []),
    tf.layers.averagePooling2d({ poolSize: 2, strides: 2 }),
  ];
}

/**
 * `floor(compression * channels)`: what a transition outputs.
 *
 * @example
 * ```ts
 * import { transitionChannels } from 'tfjs-skip/blocks';
 * transitionChannels(24, 0.5); // => 12
 * ```
 */
export function transitionChannels(channels: number, compression = 1): number {
  return Math.floor(compression * channels);
}
