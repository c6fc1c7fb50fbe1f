import * as tf from '@tensorflow/tfjs';
import { basicBlock } from '../blocks/basic_block.js';
import { bn, conv, relu } from '../blocks/conv_bn.js';
import type { ShortcutKind } from '../blocks/shortcut.js';
import { SkipConfigError } from '../errors.js';
import { zooDefaults, type ZooArgs } from './options.js';

export interface ResNetArgs extends ZooArgs {
  /** `6n + 2` weighted layers: 20, 32, 44, 56 or 110 in the paper's Table 6. */
  depth: number;
  /**
   * The shortcut where a stage doubles the channels and halves the
   * resolution: `'zeroPad'` (default, option A, as in the paper's CIFAR
   * experiments and its Table 6 counts) or `'projection'` (option B).
   */
  shortcut?: ShortcutKind;
  /** Start every block's last BatchNorm gamma at 0 (Goyal et al. 2017); default false. */
  zeroInitLastGamma?: boolean;
}

/** Depths of the CIFAR ResNets in He et al. 2016, Table 6. */
export const CIFAR_RESNET_DEPTHS = [20, 32, 44, 56, 110] as const;

/** `n`, the blocks per stage, of a `6n + 2` network; an error listing valid depths otherwise. */
export function blocksPerStage(depth: unknown, model: string): number {
  const n = typeof depth === 'number' ? (depth - 2) / 6 : NaN;
  if (!Number.isInteger(n) || n < 1) {
    throw new SkipConfigError(
      `${model} depth must be 6n + 2 for a whole n >= 1, such as ${CIFAR_RESNET_DEPTHS.join(', ')} (He et al. 2016, Table 6), but received ${JSON.stringify(depth)}`,
    );
  }
  return n;
}

/** The CIFAR stem: 3x3 conv to 16 channels, BN, ReLU. */
export function cifarStem(inputShape: number[]): tf.layers.Layer[] {
  return [tf.layers.inputLayer({ inputShape }), conv(16, 3), bn(), relu()];
}

/** The CIFAR head: global average pooling and a dense layer to the logits. */
export function cifarHead(classes: number): tf.layers.Layer[] {
  return [tf.layers.globalAveragePooling2d({}), tf.layers.dense({ units: classes })];
}

/**
 * The CIFAR-10 ResNet of He et al. 2016 ("Deep Residual Learning for Image
 * Recognition", section 4.2): a 3x3 conv (16), three stages of `n` basic
 * blocks with 16, 32 and 64 channels (the first block of stages 2 and 3 has
 * stride 2), global average pooling and a dense layer: `6n + 2` weighted
 * layers. Outputs logits.
 */
export function resnet(args: ResNetArgs): tf.Sequential {
  const n = blocksPerStage(args?.depth, 'resnet');
  const { inputShape, classes } = zooDefaults(args, 'resnet', 3);
  const blocks = [16, 32, 64].flatMap((filters, stage) =>
    Array.from({ length: n }, (_, i) =>
      basicBlock({ filters, strides: stage > 0 && i === 0 ? 2 : 1, shortcut: args.shortcut ?? 'zeroPad', zeroInitLastGamma: args.zeroInitLastGamma ?? false }),
    ).flat(),
  );
  return tf.sequential({ name: `resnet${args.depth}`, layers: [...cifarStem(inputShape), ...blocks, ...cifarHead(classes)] });
}
