/** The safe loading path of tfjs-skip: browser-safe, no Node imports. */
export { loadModel, type LoadModelOptions } from './load_model.js';
export { DEFAULT_LOAD_LIMITS, type LoadLimits } from './load_limits.js';
export { ModelFileError, type ModelFileProblem } from './model_file_error.js';
