/**
 * The errors tfjs-skip raises. Each is a distinct class so callers can
 * branch on the kind of failure with `instanceof` instead of parsing
 * messages; every message quotes what was received.
 */

/** Two paths of a skip connection produce outputs that cannot be merged. */
export class SkipShapeError extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'SkipShapeError';
}

/**
 * A tfjs-skip layer, block or zoo model was given arguments or a config it
 * cannot use: `SkipConnection`, `highway`, `layerScale`, `transition`, a
 * depth a model's rule refuses, ...
 */
export class ConfigError extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'ConfigError';
}

/**
 * A model `toOnnx` cannot export: a layer class with no ONNX handler, or a
 * configuration its handler does not translate. The message names the layer,
 * its class and its path in the model, and says what would fix it.
 */
export class OnnxExportError extends Error {
  /** The class's name, for stack traces and logs. */
  override name = 'OnnxExportError';
}
