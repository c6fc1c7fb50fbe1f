import * as tf from '@tensorflow/tfjs';
import type { TensorInfo, TileAttrs } from '@tensorflow/tfjs';
import { type WasmKernelArgs, heapNumeric, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, TileAttrs>;

/**
 * Tile by block copies on the wasm heap: place each innermost row once, then
 * repeat every filled block along its axis by doubling `copyWithin`. The
 * backend's own kernel computes an index per element, and batch-norm
 * gradients tile per-channel vectors up to the whole activation (over half a
 * ResNet-20 step).
 */
function tile({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  if (x.dtype === 'string' || x.dtype === 'complex64') {
    // The backend's own kernel aborts the wasm module on these.
    throw new Error(
      `Tile on wasm supports float32, int32 and bool tensors; received ${x.dtype} of shape [${x.shape}].`,
    );
  }
  if (x.shape.length === 0) return runKernel(backend, 'Identity', { x }, {});
  const reps = [...attrs.reps];
  if (reps.length !== x.shape.length || reps.some((r) => !Number.isInteger(r) || r < 0)) {
    throw new Error(
      `Tile: reps must be ${x.shape.length} non-negative integers for shape [${x.shape}]; received [${attrs.reps}].`,
    );
  }
  const outShape = x.shape.map((d, i) => d * reps[i]);
  const out = backend.makeOutput(outShape, x.dtype);
  if (tf.util.sizeFromShape(outShape) === 0) return out;
  const src = heapNumeric(backend, x);
  const dst = heapNumeric(backend, out);
  const inStrides = [...tf.util.computeStrides(x.shape), 1];
  const outStrides = [...tf.util.computeStrides(outShape), 1];
  const rank = x.shape.length;

  const fill = (axis: number, from: number, to: number): void => {
    const n = x.shape[axis];
    if (axis === rank - 1) {
      dst.set(src.subarray(from, from + n), to);
    } else {
      for (let i = 0; i < n; i++) fill(axis + 1, from + i * inStrides[axis], to + i * outStrides[axis]);
    }
    const block = n * outStrides[axis];
    const total = block * reps[axis];
    for (let filled = block; filled < total; filled *= 2) {
      dst.copyWithin(to + filled, to, to + Math.min(filled, total - filled));
    }
  };
  fill(0, 0, 0);
  return out;
}

export const tileConfig = wasmKernel(tf.Tile, tile);
