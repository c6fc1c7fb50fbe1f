import type { TensorInfo } from '@tensorflow/tfjs';
import { type WasmBackend, heapCopy } from '../wasm_backend.js';

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
