import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, Record<string, never>>;

/**
 * Identity shares x's heap data (one more reference) instead of copying it, as
 * the cpu backend does and the wasm backend's own Reshape does: kernels never
 * write to their inputs. Gradients pass through Identity dozens of times per
 * training step (about 25 ms of a ResNet-20 step at batch 64 as copies).
 * Strings go to the backend's kernel.
 */
function identity({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  if (x.dtype === 'string') return runKernel(backend, tf.Identity, { x }, attrs);
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

export const identityConfig = wasmKernel(tf.Identity, identity);
