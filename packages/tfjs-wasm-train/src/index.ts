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
