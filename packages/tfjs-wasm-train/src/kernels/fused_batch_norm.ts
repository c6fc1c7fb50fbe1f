import * as tf from '@tensorflow/tfjs';
import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, dispose, heapOffset, runKernel, tensorFrom, wasmKernel } from '../wasm_backend.js';
import { batchNormFactors } from './batch_norm_factors.js';

type Args = WasmKernelArgs<
  { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo },
  FusedBatchNormAttrs
>;

/** A float32 tensor of one value per channel (shape [C] or [1, ..., 1, C]). */
function perChannel(info: TensorInfo | undefined, channels: number): boolean {
  if (info === undefined) return true;
  const { shape } = info;
  return (
    info.dtype === 'float32' &&
    shape.length > 0 &&
    shape[shape.length - 1] === channels &&
    tf.util.sizeFromShape(shape) === channels
  );
}

/**
 * FusedBatchNorm over the last axis: y = (x - mean) * scale / sqrt(variance
 * + epsilon) + offset, one SIMD pass with per-channel factors (the backend's
 * kernel computes every element's channel with a division and modulo).
 * Statistics of other shapes go to the backend's kernel.
 */
function fusedBatchNorm({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, mean, variance, offset, scale } = inputs;
  const simd = kernelsFor(backend);
  const channels = x.shape[x.shape.length - 1] ?? 0;
  const fast =
    simd !== null &&
    x.dtype === 'float32' &&
    x.shape.length >= 2 &&
    channels > 0 &&
    [mean, variance, offset, scale].every((s) => perChannel(s, channels));
  if (!fast) return runKernel(backend, tf.FusedBatchNorm, inputs, attrs);

  const { factors } = batchNormFactors(backend, variance, scale, attrs.varianceEpsilon);
  const a = tensorFrom(backend, [channels], factors);
  const b = offset === undefined ? tensorFrom(backend, [channels], new Float32Array(channels)) : offset;
  const y = backend.makeOutput([...x.shape], 'float32');
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  simd.affine(
    heapOffset(backend, x),
    rows,
    channels,
    heapOffset(backend, mean),
    heapOffset(backend, a),
    heapOffset(backend, b),
    heapOffset(backend, y),
  );
  dispose(backend, a);
  if (b !== offset) dispose(backend, b);
  return y;
}

export const fusedBatchNormConfig = wasmKernel(tf.FusedBatchNorm, fusedBatchNorm);
