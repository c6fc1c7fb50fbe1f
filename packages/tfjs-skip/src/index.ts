/**
 * tfjs-skip: skip connections as first-class TensorFlow.js layers.
 *
 * Importing this module registers `SkipConnection` with the TF.js
 * serialization registry of the `@tensorflow/tfjs` instance the application
 * uses (a peer dependency), so saved models load with `tf.loadLayersModel`.
 *
 * @module tfjs-skip
 */
export { SkipConnection, skipConnection, type LayerArgs, type SkipConnectionArgs } from './skip_connection.js';
export { MERGE_NAMES, type MergeName } from './merges.js';
export { runModel, type PathSpec } from './paths.js';
export { ConfigError, OnnxExportError, SkipShapeError } from './errors.js';
export type { Shape } from './shapes.js';
export { ModelFileError, type ModelFileProblem } from './io/model_file_error.js';
export { summary, summaryRows, type SummaryOptions, type SummaryRow } from './summary.js';
export { walkLayers, type WalkedLayer } from './walk_layers.js';
// Blocks and zoo: importing tfjs-skip registers their layers too, so any
// model built from them loads with tf.loadLayersModel after `import 'tfjs-skip'`.
export * from './blocks/index.js';
export * from './zoo/index.js';
export { loadModel, DEFAULT_LOAD_LIMITS, type LoadModelOptions, type LoadLimits } from './io/index.js';
export {
  kerasBytes,
  kerasSaver,
  decodeKeras,
  encodeKeras,
  type KerasFormat,
  type KerasLoadOptions,
} from './keras/index.js';
export {
  toOnnx,
  ONNX_OPSET,
  ONNX_IR_VERSION,
  ONNX_LAYER_CLASSES,
  type ToOnnxOptions,
  type OnnxLayout,
} from './onnx/index.js';
export * from './keras/layers/index.js';
// TensorFlow's average pool gradient in place of tfjs-core's, which is wrong where a window reaches the padding.
import './gradients/avg_pool.js';
