import * as tf from '@tensorflow/tfjs';
import { SkipConnection } from '../skip_connection.js';
import { positiveInteger, unitRate } from './checks.js';
import { bn, conv, relu } from './conv_bn.js';

/** Arguments of {@link denseBlock}. */
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
  const layer = () =>
    new SkipConnection({ mainPath: [...bottleneck(), bn(), relu(), conv(k, 3), ...dropout()], how: 'concat' });
  return Array.from({ length: count }, layer);
}
