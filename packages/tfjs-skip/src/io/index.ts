/** The safe loading path of tfjs-skip: browser-safe, no Node imports. */
export { loadModel, type LoadModelOptions } from './load_model.js';
export { checkModelArtifacts } from './check_artifacts.js';
export { DEFAULT_LOAD_LIMITS, resolveLoadLimits, type LoadLimits, type ResolvedLoadLimits } from './load_limits.js';
export { ModelFileError, type ModelFileProblem } from './model_file_error.js';
