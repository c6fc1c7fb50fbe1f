import type * as tf from '@tensorflow/tfjs';
import { SkipConnection } from '../skip_connection.js';
import { positiveInteger } from './checks.js';
import { bn, conv, relu } from './conv_bn.js';
import { branchEnd, layerIdentity, residualOptions, type ResidualBlockArgs } from './residual_options.js';
import { Shortcut } from './shortcut.js';

export interface BottleneckBlockArgs extends ResidualBlockArgs {
  /** Output channels are `filters * expansion` (default 4). */
  expansion?: number;
}

/**
 * A bottleneck residual block (He et al. 2016, fig. 5): 1x1 conv to
 * `filters`, 3x3 conv (carrying the stride, as in torchvision's "ResNet
 * v1.5"), 1x1 conv to `filters * expansion`, around a shortcut that projects
 * when the shape changes. Post-activation returns `[SkipConnection, ReLU]`,
 * pre-activation `[SkipConnection]`, as {@link basicBlock} does.
 */
export function bottleneckBlock(args: BottleneckBlockArgs): tf.layers.Layer[] {
  const o = residualOptions(args, 'bottleneckBlock');
  const out = o.filters * positiveInteger(args.expansion ?? 4, 'bottleneckBlock expansion');
  const mainPath = o.preActivation
    ? [bn(), relu(), conv(o.filters, 1), bn(), relu(), conv(o.filters, 3, o.strides), bn(), relu(), conv(out, 1)]
    : [
        conv(o.filters, 1),
        bn(),
        relu(),
        conv(o.filters, 3, o.strides),
        bn(),
        relu(),
        conv(out, 1),
        bn(o.zeroInitLastGamma),
      ];
  const skipPath = new Shortcut({ filters: out, strides: o.strides, kind: o.shortcut, batchNorm: !o.preActivation });
  const block = new SkipConnection({ ...layerIdentity(args), mainPath: [...mainPath, ...branchEnd(args)], skipPath });
  return o.preActivation ? [block] : [block, relu()];
}
