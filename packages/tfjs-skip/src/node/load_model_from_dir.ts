import type * as tf from '@tensorflow/tfjs';
import { loadModel, type LoadModelOptions } from '../io/load_model.js';
import { fileSystem } from './file_system.js';

/**
 * Loads an untrusted model from a folder (or its model.json) on disk with
 * every check of `loadModel`: nothing outside the folder is read, and a
 * refusal is a `ModelFileError` that leaves no tensor behind.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { mkdtempSync, writeFileSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { skipConnection } from 'tfjs-skip';
 * import { fileSystem, loadModelFromDir, ModelFileError } from 'tfjs-skip/node';
 *
 * const dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-'));
 * const model = tf.sequential({
 *   layers: [skipConnection({ inputShape: [4], mainPath: [tf.layers.dense({ units: 4 })] })],
 * });
 * await model.save(fileSystem(dir));
 * (await loadModelFromDir(dir)).countParams(); // => 20
 *
 * writeFileSync(join(dir, 'model.json'), JSON.stringify({ modelTopology: { className: 'toString', config: {} } }));
 * const error = await loadModelFromDir(dir).catch((e: ModelFileError) => e);
 * (error as ModelFileError).problem; // => 'prototype-key'
 * ```
 */
export function loadModelFromDir(dir: string, options: LoadModelOptions = {}): Promise<tf.LayersModel> {
  return loadModel(fileSystem(dir, options), options);
}
