import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { SimdKernels } from '../simd/module.js';
import { type WasmBackend, dispose, heapCopy, heapF32, heapOffset, withHeapBuffers } from '../wasm_backend.js';

/** Per-channel terms of batch normalization, copied off the heap. */
export interface BatchNormFactors {
  /** 1 / sqrt(variance + epsilon). */
  rsqrt: Float64Array;
  /** The scale (gamma), ones without one. */
  scale: Float32Array;
  /** scale / sqrt(variance + epsilon): what multiplies x - mean, and dy in dx. */
  factors: Float32Array;
}

export function batchNormFactors(
  backend: WasmBackend,
  variance: TensorInfo,
  scale: TensorInfo | undefined,
  epsilon: number,
): BatchNormFactors {
  const v = heapCopy(backend, variance);
  const s = scale === undefined ? new Float32Array(v.length).fill(1) : heapCopy(backend, scale);
  const rsqrt = Float64Array.from(v, (value) => 1 / Math.sqrt(value + epsilon));
  return { rsqrt, scale: s, factors: Float32Array.from(rsqrt, (r, c) => r * s[c]) };
}

/** The per-channel sums both batch-norm gradients start from. */
export interface BatchNormSums {
  /** sum of dy over the rows, on the heap (the offset's gradient: the caller's to return or dispose). */
  sumDy: TensorInfo;
  /** The same values, copied off the heap. */
  sums: Float32Array;
  /** sum of dy * (x - mean) over the rows, copied off the heap. */
  sumsXmu: Float32Array;
}

/**
 * The two per-channel sums of a batch-norm gradient, in one pass over dy and
 * x: the SIMD kernel (float32 lanes, float64 totals, split across the
 * threads), or float64 in JavaScript when `simd` is null.
 */
export function batchNormSums(
  backend: WasmBackend,
  simd: SimdKernels | null,
  dy: TensorInfo,
  x: TensorInfo,
  mean: TensorInfo,
): BatchNormSums {
  const channels = tf.util.sizeFromShape(mean.shape);
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const sumDy = backend.makeOutput([...mean.shape], 'float32');
  const sumDyXmu = backend.makeOutput([...mean.shape], 'float32');
  if (simd === null) {
    const m = heapCopy(backend, mean);
    const [s, t] = [new Float64Array(channels), new Float64Array(channels)];
    const [d, v] = [heapF32(backend, dy), heapF32(backend, x)];
    for (let i = 0; i < d.length; i++) {
      const j = i % channels;
      s[j] += d[i]!;
      t[j] += d[i]! * (v[i]! - m[j]!);
    }
    heapF32(backend, sumDy).set(s);
    heapF32(backend, sumDyXmu).set(t);
  } else {
    withHeapBuffers(backend, [channels * 16], (acc) => {
      simd.batchNormGradSums(
        heapOffset(backend, dy),
        heapOffset(backend, x),
        rows,
        channels,
        heapOffset(backend, mean),
        heapOffset(backend, sumDy),
        heapOffset(backend, sumDyXmu),
        acc,
      );
    });
  }
  const sumsXmu = heapCopy(backend, sumDyXmu);
  dispose(backend, sumDyXmu);
  return { sumDy, sums: heapCopy(backend, sumDy), sumsXmu };
}
