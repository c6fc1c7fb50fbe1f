import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { RAISE_MAX_PARAMETERS, resolveLoadLimits } from '../io/load_limits.js';
import { ModelFileError } from '../io/model_file_error.js';
import { withModelBuilder } from '../io/load_model.js';
import {
  decodeKerasSource,
  loadKerasModel,
  maxEntryBytes,
  zipCaps,
  type KerasFormat,
  type KerasLoadOptions,
  type KerasSource,
} from '../keras/decode.js';
import { readZipEntriesFrom } from '../keras/zip.js';
import { encodeKeras } from '../keras/encode.js';
import { writeAtomic } from './write_atomic.js';

/** A `kerasFile` handler, which names its file for error messages. */
export type KerasFileHandler = tf.io.IOHandler & {
  /** The `.keras` or `.h5` file the handler reads or writes. */
  readonly modelPath: string;
};

const FORMATS: ReadonlyMap<string, KerasFormat> = new Map([
  ['.keras', 'keras'],
  ['.h5', 'h5'],
]);

/**
 * A `tf.io` handler for a Keras file on disk: a Keras 3 `.keras` zip or a
 * legacy `.h5` HDF5 file, chosen by the extension. Loading reads the file
 * into memory (an archive is never extracted to disk: only its config and
 * weights entries are read, streamed) and returns artifacts that passed every
 * check of the loader; `loadModel(kerasFile(...))` builds the model once,
 * each weight read from the file straight into its tensor. Saving writes the
 * file atomically (a temporary file, fsync, rename).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { mkdtempSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { kerasFile } from 'tfjs-skip/node';
 *
 * const file = join(mkdtempSync(join(tmpdir(), 'tfjs-skip-')), 'model.keras');
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
 * await model.save(kerasFile(file));
 * (await tf.loadLayersModel(kerasFile(file))).countParams(); // => 8
 * ```
 */
export function kerasFile(modelPath: string, options: Omit<KerasLoadOptions, 'format'> = {}): KerasFileHandler {
  const extension = typeof modelPath === 'string' ? path.extname(modelPath).toLowerCase() : '';
  const format = FORMATS.get(extension);
  if (typeof modelPath !== 'string' || format === undefined) {
    throw new ModelFileError(
      'bad-path',
      `kerasFile() needs a .keras (Keras 3) or .h5 (legacy Keras) path, but received ${JSON.stringify(modelPath)} ` +
        `(extension ${JSON.stringify(extension)})`,
    );
  }
  const file = path.resolve(modelPath);
  const handler: KerasFileHandler = {
    modelPath: file,
    load: async () => decodeKerasSource(await readKerasFile(file, format, options), { ...options, format }, file),
    save: async (artifacts) => {
      await writeAtomic(file, await encodeKeras(artifacts, format));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  return withModelBuilder(handler, async (loadOptions) =>
    loadKerasModel(await readKerasFile(file, format, options), { ...options, format }, loadOptions, file),
  );
}

/**
 * A `.keras` file's wanted entries, streamed from disk (the archive itself is
 * never held: for a stored `model.weights.h5`, one copy of the weights
 * instead of two), or a `.h5` file's bytes.
 */
async function readKerasFile(file: string, format: KerasFormat, options: KerasLoadOptions): Promise<KerasSource> {
  if (format === 'h5') return readCapped(file, options);
  await statCapped(file, options);
  return readZipEntriesFrom(createReadStream(file), zipCaps(options), file).catch((e: unknown) => {
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError('not-found', `${file} could not be read: ${e instanceof Error ? e.message : String(e)}`);
  });
}

async function readCapped(file: string, options: KerasLoadOptions): Promise<Uint8Array> {
  await statCapped(file, options);
  // fs.readFile's Buffer is a Uint8Array already: used as it is, not copied.
  return fs.readFile(file);
}

async function statCapped(file: string, options: KerasLoadOptions): Promise<void> {
  const stat = await fs.stat(file).catch(() => {
    throw new ModelFileError('not-found', `No Keras file at ${file}: it does not exist or cannot be read`);
  });
  if (!stat.isFile()) throw new ModelFileError('not-found', `${file} is not a regular file`);
  const cap = maxEntryBytes(options) + 2 * resolveLoadLimits(options).maxModelJsonBytes;
  if (stat.size > cap)
    throw new ModelFileError(
      'too-large',
      `${file} is ${stat.size} bytes, over the ${cap}-byte cap (maxEntryBytes, by default what maxParameters ` +
        `float32 weights take, plus two maxModelJsonBytes): ${RAISE_MAX_PARAMETERS} or maxEntryBytes`,
    );
}
