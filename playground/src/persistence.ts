import * as tf from '@tensorflow/tfjs';
import { kerasBytes, kerasSaver, loadModel } from 'tfjs-skip';

/** Where the page keeps its saved model in the browser. */
export const INDEXEDDB_URL = 'indexeddb://tfjs-skip-playground';

export async function saveToIndexedDB(model: tf.LayersModel): Promise<string> {
  const result = await model.save(INDEXEDDB_URL);
  return (
    `saved to ${INDEXEDDB_URL} (${((result.modelArtifactsInfo.weightDataBytes ?? 0) / 1024).toFixed(1)} KiB of ` +
    `weights)`
  );
}

/** Downloads `model.json` and `model.weights.bin` through the browser. */
export async function download(model: tf.LayersModel, name: string): Promise<string> {
  await model.save(`downloads://${name}`);
  return `downloaded ${name}.json and ${name}.weights.bin`;
}

/** The saved model, or an error saying nothing was saved yet. */
export async function loadFromIndexedDB(): Promise<tf.LayersModel> {
  const saved = await tf.io.listModels();
  if (!(INDEXEDDB_URL in saved))
    throw new Error(`nothing saved at ${INDEXEDDB_URL} yet: train or build a model and save it first`);
  return tf.loadLayersModel(INDEXEDDB_URL);
}

/**
 * A model from files the user picked: one `.json` and its weights `.bin`
 * files. Picked files are untrusted, so they go through tfjs-skip's safe
 * loader (limits, prototype-safe names, exact weights, no leaks on refusal).
 */
export async function loadFromFiles(files: readonly File[]): Promise<tf.LayersModel> {
  const json = files.filter((f) => f.name.endsWith('.json'));
  const weights = files.filter((f) => !f.name.endsWith('.json'));
  if (json.length !== 1)
    throw new Error(
      `pick one model .json file and its .bin weights files; received ` +
        `${files.map((f) => f.name).join(', ') || 'no files'}`,
    );
  return loadModel(tf.io.browserFiles([json[0], ...weights]));
}

/**
 * Downloads the model as a Keras 3 `.keras` file, which
 * `keras.saving.load_model` reads in Python (after `import tfjs_skip`).
 */
export async function downloadKeras(model: tf.LayersModel, name: string): Promise<string> {
  let size = 0;
  await model.save(
    kerasSaver('keras', (bytes) => {
      size = bytes.byteLength;
      const url = URL.createObjectURL(new Blob([new Uint8Array(bytes)], { type: 'application/zip' }));
      const link = Object.assign(document.createElement('a'), { href: url, download: `${name}.keras` });
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    }),
  );
  return `downloaded ${name}.keras (${(size / 1024).toFixed(1)} KiB)`;
}

/**
 * A model from a Keras file the user picked (`.keras`, or legacy `.h5`),
 * read in memory by tfjs-skip's Keras reader and checked by the safe loader.
 */
export async function loadKerasFile(file: File): Promise<tf.LayersModel> {
  if (!/\.(keras|h5)$/i.test(file.name)) throw new Error(`pick a .keras or .h5 file; received ${file.name}`);
  return loadModel(kerasBytes(new Uint8Array(await file.arrayBuffer())));
}
