import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { CHANNEL_OPS } from '../simd/module.js';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, heapOffset, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ a: TensorInfo; b: TensorInfo }, Record<string, never>>;

/** Whether v is one value per channel of `full` (shape [C] or [1, ..., 1, C]), both float32. */
function channelVector(v: TensorInfo, full: TensorInfo): boolean {
  const channels = full.shape[full.shape.length - 1];
  return (
    v.dtype === 'float32' &&
    full.dtype === 'float32' &&
    full.shape.length >= 2 &&
    v.shape.length >= 1 &&
    v.shape.length <= full.shape.length &&
    v.shape[v.shape.length - 1] === channels &&
    tf.util.sizeFromShape(v.shape) === channels
  );
}

/**
 * A binary op where one operand is a whole NHWC activation and the other one
 * value per channel (batch-norm statistics, scales and their gradients), in
 * one SIMD pass; the backend's broadcasting kernels walk every element's
 * indices. Every other shape pair goes to the backend's kernel.
 */
function channelBinaryConfig(kernelName: keyof typeof CHANNEL_OPS): KernelConfig {
  return wasmKernel(kernelName, ({ backend, inputs, attrs }: Args): TensorInfo => {
    const { a, b } = inputs;
    const simd = kernelsFor(backend);
    const vFirst = channelVector(a, b);
    if (simd !== null && (vFirst || channelVector(b, a))) {
      const [full, v] = vFirst ? [b, a] : [a, b];
      const channels = full.shape[full.shape.length - 1];
      const y = backend.makeOutput([...full.shape], 'float32');
      simd.channelBinary(
        CHANNEL_OPS[kernelName],
        heapOffset(backend, full),
        tf.util.sizeFromShape(full.shape) / channels,
        channels,
        heapOffset(backend, v),
        heapOffset(backend, y),
        vFirst,
      );
      return y;
    }
    return runKernel(backend, kernelName, { a, b }, attrs);
  });
}

export const addConfig = channelBinaryConfig('Add');
export const subConfig = channelBinaryConfig('Sub');
export const multiplyConfig = channelBinaryConfig('Multiply');
export const realDivConfig = channelBinaryConfig('RealDiv');
