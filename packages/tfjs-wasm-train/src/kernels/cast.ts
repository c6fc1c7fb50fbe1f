import * as tf from '@tensorflow/tfjs';
import type { CastAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, CastAttrs>;

/**
 * Cast to the dtype x already has shares x's heap data, as the cpu backend
 * does (tf.moments casts every batch-norm input to float32: two dozen copies
 * of whole activations per ResNet-20 step). Real conversions go to the
 * backend's kernel.
 */
function cast({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  if (x.dtype !== attrs.dtype || x.dtype === 'string') return runKernel(backend, tf.Cast, { x }, attrs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const castConfig = wasmKernel(tf.Cast, cast);
