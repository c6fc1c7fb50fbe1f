/**
 * Building blocks of residual architectures, each a function returning
 * layers to spread into `tf.sequential({layers: [...]})`, and the layers
 * they are made of. Importing this module registers `Shortcut`, `DropPath`,
 * `LayerScale` and `Highway` for `tf.loadLayersModel`, and this package's
 * `BatchNormalization` (tfjs-layers' with a fused training gradient) in
 * tfjs-layers' place.
 *
 * @module tfjs-skip/blocks
 */
export { basicBlock } from './basic_block.js';
export { bottleneckBlock, type BottleneckBlockArgs } from './bottleneck_block.js';
export type { ResidualBlockArgs } from './residual_options.js';
export { Shortcut, shortcut, SHORTCUT_KINDS, type ShortcutArgs, type ShortcutKind } from './shortcut.js';
export { denseBlock, type DenseBlockArgs } from './dense_block.js';
export { transition, transitionChannels, type TransitionArgs } from './transition.js';
export { Highway, highway, HIGHWAY_ACTIVATIONS, type HighwayActivation, type HighwayArgs } from './highway.js';
export { apesBlock, type ApesBlockArgs } from './apes_block.js';
export { DropPath, dropPath, type DropPathArgs } from './drop_path.js';
export { LayerScale, layerScale, reZero, type LayerScaleArgs } from './layer_scale.js';
export { BatchNormalization, batchNormalization, batchNormTraining } from './batch_norm.js';
export {
  BATCH_NORM_TRAIN,
  BATCH_NORM_TRAIN_GRAD,
  CONV_BATCH_NORM,
  CONV_BATCH_NORM_GRAD,
  MOVING_AVERAGES,
  RELU_BIAS_GRAD,
} from '../kernel_names.js';
export { convBatchNorm, type ConvBatchNormArgs, type ConvBatchNormResult } from './conv_batch_norm.js';
