import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs';
import { CHANNEL_OPS, PAIRS } from '../simd/module.js';
import { kernelsFor, splitsWork } from '../threads/kernels_for.js';
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

/** How a and b pair up element by element, when both are float32 and one of PAIRS; else null. */
function pairing(a: TensorInfo, b: TensorInfo): number | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  if (tf.util.arraysEqual(a.shape, b.shape)) return PAIRS.same;
  const [sa, sb] = [tf.util.sizeFromShape(a.shape), tf.util.sizeFromShape(b.shape)];
  // A scalar operand must not change the result's shape: [] or [1] with any other.
  if (sb === 1 && b.shape.length <= Math.max(1, a.shape.length) && a.shape.length > 0) return PAIRS.bScalar;
  if (sa === 1 && a.shape.length <= Math.max(1, b.shape.length) && b.shape.length > 0) return PAIRS.aScalar;
  return null;
}

/**
 * A binary op in one SIMD pass, split across the kernel threads: where one
 * operand is a whole NHWC activation and the other one value per channel
 * (batch-norm statistics, scales and their gradients: the backend's
 * broadcasting kernels walk every element's indices), where both have the
 * same shape (residual sums, gradients adding up) or one is a scalar, when
 * the work is split across threads (on one thread the backend's kernels are
 * as fast). Every other shape pair goes to the backend's kernel.
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
    const pair = simd === null || !splitsWork(backend) ? null : pairing(a, b);
    if (simd !== null && pair !== null) {
      const full = pair === PAIRS.aScalar ? b : a;
      const y = backend.makeOutput([...full.shape], 'float32');
      const count = tf.util.sizeFromShape(full.shape);
      simd.binary(
        CHANNEL_OPS[kernelName],
        heapOffset(backend, a),
        heapOffset(backend, b),
        count,
        pair,
        heapOffset(backend, y),
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
