import * as tf from '@tensorflow/tfjs';
import { bn, conv, relu } from '../blocks/conv_bn.js';
import { ConfigError } from '../errors.js';
import type { ZooOption } from './zoo_model.js';

/** Depths of the CIFAR ResNets in He et al. 2016, Table 6. */
export const CIFAR_RESNET_DEPTHS = [20, 32, 44, 56, 110] as const;

/**
 * The rule of the CIFAR ResNet and its plain twin: `6n + 2` weighted layers
 * for a whole `n >= 1`. Returns why `depth` breaks it, or null.
 */
export function cifarDepthProblem(depth: unknown): string | null {
  const n = typeof depth === 'number' ? (depth - 2) / 6 : NaN;
  return Number.isInteger(n) && n >= 1
    ? null
    : `depth must be 6n + 2 for a whole n >= 1, such as ${CIFAR_RESNET_DEPTHS.join(', ')} (He et al. 2016, Table 6), ` +
        `but received ${JSON.stringify(depth)}`;
}

/** The `depth` option of the CIFAR ResNet and its plain twin, with its rule. */
export const CIFAR_DEPTH_OPTION: ZooOption = {
  description: 'weighted layers, 6n + 2 (8, 14, 20, 32, 44, 56, 110)',
  default: 20,
  check: cifarDepthProblem,
};

/** `n`, the blocks per stage, of a `6n + 2` network; an error listing valid depths otherwise. */
export function blocksPerStage(depth: unknown, model: string): number {
  const problem = cifarDepthProblem(depth);
  if (problem !== null) throw new ConfigError(`${model} ${problem}`);
  return ((depth as number) - 2) / 6;
}

/** The CIFAR stem: 3x3 conv to 16 channels, BN, ReLU. */
export function cifarStem(inputShape: number[]): tf.layers.Layer[] {
  return [tf.layers.inputLayer({ inputShape }), conv(16, 3), bn(), relu()];
}

/** The CIFAR head: global average pooling and a dense layer to the logits. */
export function cifarHead(classes: number): tf.layers.Layer[] {
  return [tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: classes })];
}
