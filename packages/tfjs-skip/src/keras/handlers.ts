import * as tf from '@tensorflow/tfjs';
import { ModelFileError } from '../io/model_file_error.js';
import { withModelBuilder } from '../io/load_model.js';
import { decodeKeras, loadKerasModel, type KerasFormat, type KerasLoadOptions } from './decode.js';
import { encodeKeras } from './encode.js';

/**
 * A `tf.io` handler that loads a Keras 3 `.keras` or legacy `.h5` model from
 * bytes in memory (a picked `File`'s `arrayBuffer()`, a fetch response, ...),
 * in the browser or any runtime. The format is sniffed from the bytes unless
 * `options.format` says it. The artifacts it returns passed every check of
 * the loader (`verifyArtifacts`), so `tf.loadLayersModel(kerasBytes(...))`
 * and `loadModel(kerasBytes(...))` refuse hostile files alike.
 * `loadModel(kerasBytes(...))` builds the model once, reading each weight
 * straight into its tensor; `tf.loadLayersModel` builds it a second time.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { kerasBytes, kerasSaver } from 'tfjs-skip';
 *
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * let bytes!: Uint8Array;
 * await model.save(kerasSaver('keras', (b) => { bytes = b; }));
 * const loaded = await tf.loadLayersModel(kerasBytes(bytes));
 * loaded.countParams(); // => 8
 * ```
 */
export function kerasBytes(bytes: Uint8Array | ArrayBuffer, options: KerasLoadOptions = {}): tf.io.IOHandler {
  return withModelBuilder({ load: () => decodeKeras(bytes, options) }, (loadOptions) =>
    loadKerasModel(bytes, options, loadOptions, 'the Keras file'),
  );
}

/**
 * A `tf.io` handler whose `save` writes the model as a Keras file (`'keras'`:
 * a Keras 3 `.keras` zip; `'h5'`: legacy HDF5) and hands the bytes to
 * `onBytes` (to download them, upload them, keep them).
 */
export function kerasSaver(format: KerasFormat, onBytes: (bytes: Uint8Array) => void | Promise<void>): tf.io.IOHandler {
  if (format !== 'keras' && format !== 'h5')
    throw new ModelFileError('bad-path', `kerasSaver() writes 'keras' or 'h5', but received ${JSON.stringify(format)}`);
  return {
    save: async (artifacts) => {
      await onBytes(await encodeKeras(artifacts, format));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}
