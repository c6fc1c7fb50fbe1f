import type * as tf from '@tensorflow/tfjs';
import { extname } from 'node:path';
import { loadModel, type LoadModelOptions } from 'tfjs-skip';
import { fileSystem, kerasFile, type FileSystemOptions } from 'tfjs-skip/node';

/** The kinds of model file the command line reads and writes (ONNX: writes only). */
export type ModelFileKind = 'keras' | 'h5' | 'tfjs' | 'onnx';

/** The model files the command line reads, in words, for messages. */
export const READABLE_MODELS =
  'a Keras file (.keras, or legacy .h5 / .hdf5) or a TF.js model (a folder holding model.json, or the model.json file)';

/**
 * What `path` names: a Keras 3 `.keras` archive, a legacy Keras `.h5` file,
 * an ONNX file (`.onnx`), or a TF.js model (a folder holding `model.json`,
 * or the JSON file itself).
 */
export function modelFileKind(path: string): ModelFileKind {
  const ext = extname(path).toLowerCase();
  if (ext === '.onnx') return 'onnx';
  return ext === '.keras' ? 'keras' : ext === '.h5' || ext === '.hdf5' ? 'h5' : 'tfjs';
}

/** Whether `--model` names a file rather than a zoo model id. */
export function isModelPath(name: string): boolean {
  return /[\\/]/.test(name) || /\.(keras|h5|hdf5|json)$/i.test(name);
}

/**
 * The `tf.io` handler that reads and writes `path`, by its kind; every load
 * runs the safe loader's checks. ONNX files are written by `saveOnnx`, not a handler.
 */
export function modelHandler(path: string, options: FileSystemOptions = {}): tf.io.IOHandler {
  const kind = modelFileKind(path);
  if (kind === 'onnx') throw new Error(`modelHandler: ${path} is an ONNX file, which saveOnnx writes`);
  return kind === 'tfjs' ? fileSystem(path, options) : kerasFile(path, options);
}

/**
 * The model file at `path`, through the safe loader, with the limits and allowances the command's flags give
 * (`--max-parameters`, `--allow-non-finite`) applied to both the file's handler and the load.
 */
export async function loadModelFile(path: string, options: LoadModelOptions = {}): Promise<tf.LayersModel> {
  return loadModel(modelHandler(path, options), options);
}
