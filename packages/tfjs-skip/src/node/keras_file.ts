import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { resolveLoadLimits } from '../io/load_limits.js';
import { ModelFileError } from '../io/model_file_error.js';
import { decodeKeras, maxEntryBytes, type KerasFormat, type KerasLoadOptions } from '../keras/decode.js';
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
 * into memory (an archive is never extracted to disk) and returns artifacts
 * that passed every check of the loader; saving writes the file atomically
 * (a temporary file, fsync, rename).
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
  return {
    modelPath: file,
    load: async () => decodeKeras(await readCapped(file, options), { ...options, format }, file),
    save: async (artifacts) => {
      await writeAtomic(file, await encodeKeras(artifacts, format));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

async function readCapped(file: string, options: KerasLoadOptions): Promise<Uint8Array> {
  const stat = await fs.stat(file).catch(() => {
    throw new ModelFileError('not-found', `No Keras file at ${file}: it does not exist or cannot be read`);
  });
  if (!stat.isFile()) throw new ModelFileError('not-found', `${file} is not a regular file`);
  const cap = maxEntryBytes(options) + 2 * resolveLoadLimits(options).maxModelJsonBytes;
  if (stat.size > cap)
    throw new ModelFileError(
      'too-large',
      `${file} is ${stat.size} bytes, over the ${cap}-byte cap (maxEntryBytes plus two maxModelJsonBytes)`,
    );
  return new Uint8Array(await fs.readFile(file));
}
