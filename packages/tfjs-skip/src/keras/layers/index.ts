/**
 * TF.js layers for what Keras 3 models (`keras.applications`) use and TF.js lacks. Importing this
 * module registers them, and the `hard_silu` activation, for `tf.loadLayersModel`.
 */
export { Normalization, normalization, type NormalizationArgs } from './normalization.js';
export {
  GroupedConv2D,
  groupedConv2d,
  type GroupedConv2DArgs,
  type InitializerConfig,
  type Pair,
} from './grouped_conv2d.js';
export {
  ConvNeXtLayerScale,
  CustomScaleLayer,
  GlobalAveragePooling2DKeepDims,
  StochasticDepth,
  type ConvNeXtLayerScaleArgs,
  type CustomScaleLayerArgs,
  type GlobalAveragePooling2DKeepDimsArgs,
  type StochasticDepthArgs,
} from './applications.js';
export { HardSilu, EXTRA_ACTIVATIONS } from './activations.js';
