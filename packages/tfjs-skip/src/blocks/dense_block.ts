import * as tf from '@tensorflow/tfjs';
import { SkipConfigError } from '../errors.js';
import { SkipConnection } from '../skip_connection.js';
import { positiveInteger, unitRate } from './checks.js';
import { bn, conv, relu } from './conv_bn.js';

export interface DenseBlockArgs {
  /** Number of dense layers in the block. */
  layers: number;
  /** Channels each layer adds (`k`). */
  growthRate: number;
  /** DenseNet-B: a 1x1 convolution to `4k` channels before each 3x3 (default false). */
  bottleneck?: boolean;
  /** Dropout after each convolution (default 0, as with data augmentation in the paper). */
  dropRate?: number;
}

/**
 * A dense block (Huang et al. 2017, "Densely Connected Convolutional
 * Networks"): `layers` SkipConnections with `how: 'concat'`, each appending
 * `growthRate` new channels, BN → ReLU → conv3x3(k) (DenseNet-B: BN → ReLU →
 * conv1x1(4k) → BN → ReLU → conv3x3(k)), to everything before it. A block
 * turns `c` channels into `c + layers * growthRate`.
 */
export function denseBlock(args: DenseBlockArgs): tf.layers.Layer[] {
  const count = positiveInteger(args?.layers, 'denseBlock layers');
  const k = positiveInteger(args.growthRate, 'denseBlock growthRate');
  const dropRate = unitRate(args.dropRate ?? 0, 'denseBlock dropRate');
  const dropout = () => (dropRate > 0 ? [tf.layers.dropout({ rate: dropRate })] : []);
  const bottleneck = () => (args.bottleneck ? [bn(), relu(), conv(4 * k, 1), ...dropout()] : []);
  const layer = () => new SkipConnection({ mainPath: [...bottleneck(), bn(), relu(), conv(k, 3), ...dropout()], how: 'concat' });
  return Array.from({ length: count }, layer);
}

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
    throw new SkipConfigError(`transition compression must be in (0, 1], but received ${JSON.stringify(args.compression)}`);
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

/** `floor(compression * channels)`: what a transition outputs. */
export function transitionChannels(channels: number, compression = 1): number {
  return Math.floor(compression * channels);
}
