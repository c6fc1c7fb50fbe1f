/**
 * tfjs-wasm-train: the kernels conv-net training needs on TensorFlow.js's
 * `wasm` backend (its convolutions' gradients, batch norm, Adam), most on a
 * SIMD module sharing the backend's heap, and their threads. Importing it
 * registers the kernels for `wasm`; `useWasmThreads` splits them across a
 * pool of workers.
 *
 * @module tfjs-wasm-train
 */
import { registerWasmTrainingKernels } from './register_all_kernels.js';

export { registerWasmTrainingKernels, wasmTrainingKernelNames } from './register_all_kernels.js';
export { setSimdKernels, simdKernelsEnabled } from './simd/module.js';
export { wasmSimdStatus } from './simd/status.js';

registerWasmTrainingKernels();
export {
  defaultThreadCount,
  limitWasmThreads,
  useWasmThreads,
  wasmThreads,
  type WasmThreads,
  type WasmThreadsOptions,
} from './threads/backend.js';
