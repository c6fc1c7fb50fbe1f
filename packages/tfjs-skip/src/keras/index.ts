/** Keras 3 `.keras` and legacy `.h5` files in and out of TF.js: browser-safe, no Node imports. */
export { kerasBytes, kerasSaver } from './handlers.js';
export { decodeKeras, sniffFormat, type KerasFormat, type KerasLoadOptions } from './decode.js';
export { encodeKeras, KERAS_FORMAT_VERSION } from './encode.js';
export { LAYER_TABLE, REFUSED_LAYERS, type LayerEntry } from './layer_table.js';
export * from './layers/index.js';
