import { registerWasmTrainingKernels } from './register_all_kernels.js';

export { registerWasmTrainingKernels, wasmTrainingKernelNames } from './register_all_kernels.js';

registerWasmTrainingKernels();
export { setSimdConvolutions, simdConvolutionsEnabled } from './simd/module.js';
