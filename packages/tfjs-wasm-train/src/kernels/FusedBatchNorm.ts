import * as tf from '@tensorflow/tfjs';
import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { simdFor } from '../simd/module.js';
import { type WasmKernelArgs, heapF32, heapOffset, runKernel, wasmKernel, withHeapBuffers } from '../wasm_backend.js';

type Args = WasmKernelArgs<
  { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo },
  FusedBatchNormAttrs
>;

/** A float32 tensor of one value per channel (shape [C] or [1, ..., 1, C]). */
function perChannel(info: TensorInfo | undefined, channels: number): boolean {
  if (info === undefined) return true;
  const { shape } = info;
  return info.dtype === 'float32' && shape.length > 0 && shape[shape.length - 1] === channels && tf.util.sizeFromShape(shape) === channels;
}

/**
 * FusedBatchNorm over the last axis: y = (x - mean) * scale / sqrt(variance
 * + epsilon) + offset, one SIMD pass with per-channel factors (the backend's
 * kernel computes every element's channel with a division and modulo).
 * Statistics of other shapes go to the backend's kernel.
 */
function fusedBatchNorm({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, mean, variance, offset, scale } = inputs;
  const simd = simdFor(backend.wasm);
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const fast =
    simd !== null &&
    x.dtype === 'float32' &&
    x.shape.length >= 2 &&
    channels > 0 &&
    [mean, variance, offset, scale].every((s) => perChannel(s, channels));
  if (!fast) return runKernel(backend, tf.FusedBatchNorm, inputs as unknown as Record<string, TensorInfo>, attrs);

  const y = backend.makeOutput([...x.shape], 'float32');
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  withHeapBuffers(backend, [channels * 4, channels * 4], (a, b) => {
    const factors = new Float32Array(channels);
    const shifts = new Float32Array(channels);
    const v = heapF32(backend, variance);
    const s = scale === undefined ? null : heapF32(backend, scale);
    const o = offset === undefined ? null : heapF32(backend, offset);
    for (let c = 0; c < channels; c++) {
      factors[c] = (s === null ? 1 : s[c]!) / Math.sqrt(v[c]! + attrs.varianceEpsilon);
      shifts[c] = o === null ? 0 : o[c]!;
    }
    const heap = new Float32Array(heapF32(backend, x).buffer);
    heap.set(factors, a! / 4);
    heap.set(shifts, b! / 4);
    simd.affine(heapOffset(backend, x), rows, channels, heapOffset(backend, mean), a!, b!, heapOffset(backend, y));
  });
  return y;
}

export const fusedBatchNormConfig = wasmKernel(tf.FusedBatchNorm, fusedBatchNorm);
