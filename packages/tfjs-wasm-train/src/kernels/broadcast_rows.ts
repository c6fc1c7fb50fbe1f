import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, heapOffset, wasmKernel } from '../wasm_backend.js';

/** This package's kernel for the gradients of sums and means over leading axes (gradients/reductions.ts). */
export const BROADCAST_ROWS = 'TfjsWasmTrainBroadcastRows';

type Args = WasmKernelArgs<{ v: TensorInfo }, { shape: number[]; scale: number }>;

/** A float32 tensor of `shape` whose every row (over the trailing axes of v's size) is v * scale. */
function broadcastRows({ backend, inputs, attrs }: Args): TensorInfo {
  const { v } = inputs;
  const simd = kernelsFor(backend);
  if (simd === null)
    throw new Error(`${BROADCAST_ROWS} needs the SIMD kernels on this wasm backend; they are not ready.`);
  const cols = tf.util.sizeFromShape(v.shape);
  const size = tf.util.sizeFromShape(attrs.shape);
  if (v.dtype !== 'float32' || cols === 0 || size % cols !== 0) {
    throw new Error(`${BROADCAST_ROWS}: cannot tile v of shape [${v.shape}] (${v.dtype}) over [${attrs.shape}].`);
  }
  const y = backend.makeOutput([...attrs.shape], 'float32');
  simd.broadcastRows(heapOffset(backend, v), size / cols, cols, attrs.scale, heapOffset(backend, y));
  return y;
}

export const broadcastRowsConfig = wasmKernel(BROADCAST_ROWS, broadcastRows);
