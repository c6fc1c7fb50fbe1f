import type * as tf from '@tensorflow/tfjs';
import { SkipConnection } from '../skip_connection.js';
import { bn, conv, relu } from './conv_bn.js';
import { branchEnd, layerIdentity, residualOptions, type ResidualBlockArgs } from './residual_options.js';
import { Shortcut } from './shortcut.js';

/**
 * A basic residual block (He et al. 2016, "Deep Residual Learning for Image
 * Recognition", fig. 2): two 3x3 convolutions around a shortcut.
 *
 * Post-activation (default): `relu(x' + bn(conv(relu(bn(conv(x))))))`,
 * returned as `[SkipConnection, ReLU]`. Pre-activation: `x' +
 * conv(relu(bn(conv(relu(bn(x))))))`, returned as `[SkipConnection]`. The
 * shortcut `x'` is the identity, or a projection when `filters` or `strides`
 * change the shape (see {@link Shortcut}). Spread the result into a
 * Sequential's layers.
 *
 * In a pre-activation block the projection (a 1x1 conv without BatchNorm)
 * takes the block's input as it is; He et al.'s code feeds it the input
 * after the branch's first BN → ReLU. The parameter count is the same.
 */
export function basicBlock(args: ResidualBlockArgs): tf.layers.Layer[] {
  const o = residualOptions(args, 'basicBlock');
  const mainPath = o.preActivation
    ? [bn(), relu(), conv(o.filters, 3, o.strides), bn(), relu(), conv(o.filters, 3)]
    : [conv(o.filters, 3, o.strides), bn(), relu(), conv(o.filters, 3), bn(o.zeroInitLastGamma)];
  const skipPath = new Shortcut({
    filters: o.filters,
    strides: o.strides,
    kind: o.shortcut,
    batchNorm: !o.preActivation,
  });
  const block = new SkipConnection({ ...layerIdentity(args), mainPath: [...mainPath, ...branchEnd(args)], skipPath });
  return o.preActivation ? [block] : [block, relu()];
}
