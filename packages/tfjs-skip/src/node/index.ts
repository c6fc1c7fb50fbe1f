/**
 * Node-only helpers of tfjs-skip: saving and loading models on disk.
 *
 * @module tfjs-skip/node
 */
export { fileSystem, type FileSystemHandler, type FileSystemOptions } from './file_system.js';
export { loadModelFromDir } from './load_model_from_dir.js';
export { loadModel, type LoadModelOptions } from '../io/load_model.js';
export { ModelFileError, type ModelFileProblem } from '../io/model_file_error.js';
export { writeAtomic } from './write_atomic.js';
export { kerasFile, type KerasFileHandler } from './keras_file.js';
export type { KerasFormat, KerasLoadOptions } from '../keras/decode.js';
export { saveOnnx } from './save_onnx.js';
