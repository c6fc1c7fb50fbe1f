/** Node-only helpers of tfjs-skip: saving and loading models on disk. */
export { fileSystem, type FileSystemOptions } from './file_system.js';
export { ModelFileError, type ModelFileProblem } from '../io/model_file_error.js';
