/** ONNX export of TF.js layers models: browser-safe, no Node imports. */
export { toOnnx, ONNX_OPSET, ONNX_IR_VERSION, type ToOnnxOptions, type Layout as OnnxLayout } from './to_onnx.js';
export { ONNX_LAYER_CLASSES } from './registry.js';
