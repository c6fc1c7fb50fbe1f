import type * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import type { Shape } from '../shapes.js';
import { SkipConnection } from '../skip_connection.js';
import { positiveInteger } from './checks.js';
import { bn, conv, relu } from './conv_bn.js';

/** Arguments of {@link apesBlock}. */
export interface ApesBlockArgs {
  /** Output channels of each path (and of the block). */
  filters: number;
  /** Kernel sizes of the two paths (default `[3, 5]`): two receptive fields over the same input. */
  kernelSizes?: readonly [number, number];
  /** Name of the SkipConnection (default: generated). */
  name?: string;
  /** Input shape without the batch axis, when the block is a model's first layer. */
  inputShape?: Shape;
}

/**
 * Two non-trivial parallel paths merged by element-wise addition, the shape
 * of ApesNet's ApesBlock (Wu et al. 2016, "ApesNet: a pixel-wise efficient
 * segmentation network"), as users ask for it inside a Sequential model: each path is
 * conv(k) → BN → ReLU with its own kernel size, and the block is one
 * `SkipConnection({mainPath, skipPath, how: 'add'})`, so it sits inside a
 * Sequential. The kernel sizes are an option, not the paper's exact layers.
 */
export function apesBlock(args: ApesBlockArgs): tf.layers.Layer[] {
  const filters = positiveInteger(args?.filters, 'apesBlock filters');
  const sizes = args.kernelSizes ?? [3, 5];
  if (!Array.isArray(sizes) || sizes.length !== 2) {
    throw new ConfigError(`apesBlock kernelSizes must be two kernel sizes, but received ${JSON.stringify(sizes)}`);
  }
  const [a, b] = sizes.map((k, i) => positiveInteger(k, `apesBlock kernelSizes[${i}]`)) as [number, number];
  const path = (k: number) => [conv(filters, k), bn(), relu()];
  return [
    new SkipConnection({
      ...(args.name != null && { name: args.name }),
      ...(args.inputShape != null && { inputShape: args.inputShape }),
      mainPath: path(a),
      skipPath: path(b),
      how: 'add',
    }),
  ];
}
