import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { UNARY_OPS } from '../simd/module.js';
import { kernelsFor, splitsWork } from '../threads/kernels_for.js';
import { type WasmKernelArgs, heapOffset, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, { alpha?: number }>;

/**
 * ReLU, its gradient's Step, and the Square of batch-norm moments on float32
 * tensors in one SIMD pass split across the kernel threads (the backend's
 * run on one thread). On one thread, and for other dtypes, the backend's
 * kernels run them.
 */
function unaryConfig(kernelName: keyof typeof UNARY_OPS): KernelConfig {
  return wasmKernel(kernelName, ({ backend, inputs, attrs }: Args): TensorInfo => {
    const { x } = inputs;
    const simd = kernelsFor(backend);
    if (simd === null || x.dtype !== 'float32' || !splitsWork(backend))
      return runKernel(backend, kernelName, { x }, attrs);
    const y = backend.makeOutput([...x.shape], 'float32');
    const alpha = kernelName === 'Step' ? (attrs.alpha ?? 0) : 0;
    simd.unary(
      UNARY_OPS[kernelName],
      heapOffset(backend, x),
      tf.util.sizeFromShape(x.shape),
      alpha,
      heapOffset(backend, y),
    );
    return y;
  });
}

export const reluConfig = unaryConfig('Relu');
export const stepConfig = unaryConfig('Step');
export const squareConfig = unaryConfig('Square');
