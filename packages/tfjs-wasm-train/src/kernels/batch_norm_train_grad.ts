import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor } from '../threads/kernels_for.js';
import {
  type WasmBackend,
  type WasmKernelArgs,
  dispose,
  heapCopy,
  heapF32,
  heapOffset,
  tensorFrom,
  wasmKernel,
} from '../wasm_backend.js';
import { batchNormFactors, batchNormSums } from './batch_norm_factors.js';
import { BATCH_NORM_TRAIN_GRAD } from 'tfjs-skip/kernel-names';

type Args = WasmKernelArgs<
  { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo },
  { varianceEpsilon: number }
>;

/**
 * y = (x - mean) * scale / sqrt(variance + epsilon) + offset, where mean and
 * (biased) variance are x's own over every axis but the last, N values each:
 * with r = 1 / sqrt(variance + epsilon), s = scale,
 *   dx = r s (dy - sum(dy) / N - (x - mean) r^2 sum(dy (x - mean)) / N),
 *   dscale = r sum(dy (x - mean)), doffset = sum(dy),
 * the gradient through the statistics included. Two SIMD passes over the
 * activations (the sums, then dx), split across the kernel threads, where
 * tfjs-core's composite gradient of moments and batchNorm makes about
 * twenty; in JavaScript without the SIMD kernels. Returns [dx, dscale, doffset].
 */
function batchNormTrainGrad({ backend, inputs, attrs }: Args): TensorInfo[] {
  const { dy, x, mean, variance, scale } = inputs;
  const simd = kernelsFor(backend);
  const channels = mean.shape[mean.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const { rsqrt, scale: s, factors } = batchNormFactors(backend, variance, scale, attrs.varianceEpsilon);
  const { sumDy, sums, sumsXmu } = batchNormSums(backend, simd, dy, x, mean);
  const b = new Float32Array(channels);
  const c = new Float32Array(channels);
  const dScale = new Float32Array(channels);
  for (let j = 0; j < channels; j++) {
    const r = rsqrt[j]!;
    b[j] = (-r * r * r * s[j]! * sumsXmu[j]!) / rows;
    c[j] = (-r * s[j]! * sums[j]!) / rows;
    dScale[j] = r * sumsXmu[j]!;
  }
  const dx = backend.makeOutput([...x.shape], 'float32');
  if (simd === null) {
    javascriptDx(backend, dy, x, mean, factors, b, c, dx);
    return [dx, tensorFrom(backend, [channels], dScale), sumDy];
  }
  const [aOnHeap, bOnHeap, cOnHeap] = [factors, b, c].map((v) => tensorFrom(backend, [channels], v));
  simd.batchNormTrainDx(
    heapOffset(backend, dy),
    heapOffset(backend, x),
    rows,
    channels,
    heapOffset(backend, mean),
    heapOffset(backend, aOnHeap!),
    heapOffset(backend, bOnHeap!),
    heapOffset(backend, cOnHeap!),
    heapOffset(backend, dx),
  );
  dispose(backend, aOnHeap!, bOnHeap!, cOnHeap!);
  return [dx, tensorFrom(backend, [channels], dScale), sumDy];
}

/** dx = dy * a + (x - mean) * b + c without the SIMD kernels. */
function javascriptDx(
  backend: WasmBackend,
  dy: TensorInfo,
  x: TensorInfo,
  mean: TensorInfo,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  dx: TensorInfo,
): void {
  const m = heapCopy(backend, mean);
  const channels = m.length;
  const [d, v, out] = [heapF32(backend, dy), heapF32(backend, x), heapF32(backend, dx)];
  for (let i = 0; i < d.length; i++) {
    const j = i % channels;
    out[i] = d[i]! * a[j]! + (v[i]! - m[j]!) * b[j]! + c[j]!;
  }
}

export const batchNormTrainGradConfig = wasmKernel(BATCH_NORM_TRAIN_GRAD, batchNormTrainGrad);
