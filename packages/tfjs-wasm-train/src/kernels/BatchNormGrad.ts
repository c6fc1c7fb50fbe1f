import * as tf from '@tensorflow/tfjs';
import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { CHANNEL_OPS, simdFor } from '../simd/module.js';
import { type WasmBackend, type WasmKernelArgs, heapF32, heapOffset, wasmKernel, withHeapBuffers } from '../wasm_backend.js';

/** This package's kernel for the gradient of FusedBatchNorm (see gradients/batch_norm.ts). */
export const BATCH_NORM_GRAD = 'TfjsWasmTrainBatchNormGrad';

type Args = WasmKernelArgs<
  { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo },
  FusedBatchNormAttrs
>;

function perChannelOutput(backend: WasmBackend, like: TensorInfo, values: Float32Array): TensorInfo {
  const out = backend.makeOutput([...like.shape], 'float32');
  heapF32(backend, out).set(values);
  return out;
}

/**
 * The gradients of y = (x - mean) * scale / sqrt(variance + epsilon) + offset
 * over the last axis, as tfjs-core's gradient defines them, in two passes
 * over the activations instead of about fourteen: one for the per-channel
 * sums of dy and dy * (x - mean), one for dx = dy * scale / sqrt(variance +
 * epsilon). Returns [dx, dmean, dvariance, dscale, doffset]. Needs the SIMD
 * kernels; gradients/batch_norm.ts calls it only when they are ready.
 */
function batchNormGrad({ backend, inputs, attrs }: Args): TensorInfo[] {
  const { dy, x, mean, variance, scale } = inputs;
  const simd = simdFor(backend.wasm);
  if (simd === null) throw new Error(`${BATCH_NORM_GRAD} needs the SIMD kernels on this wasm backend; they are not ready.`);
  const channels = mean.shape[0]!;
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  // Copied out before anything is allocated: growing the heap detaches every view of it.
  const v = heapF32(backend, variance);
  const s = scale === undefined ? new Float64Array(channels).fill(1) : Float64Array.from(heapF32(backend, scale));
  const rsqrt = Float64Array.from({ length: channels }, (_, c) => 1 / Math.sqrt(v[c]! + attrs.varianceEpsilon));
  const factors = Float32Array.from(rsqrt, (r, c) => r * s[c]!);

  const dx = backend.makeOutput([...x.shape], 'float32');
  const [sumDy, sumDyXmu] = withHeapBuffers(backend, [channels * 4, channels * 4, channels * 16], (a, b, acc) => {
    simd.batchNormGradSums(heapOffset(backend, dy), heapOffset(backend, x), rows, channels, heapOffset(backend, mean), a!, b!, acc!);
    const heap = new Float32Array(heapF32(backend, dx).buffer);
    const sums = [heap.slice(a! / 4, a! / 4 + channels), heap.slice(b! / 4, b! / 4 + channels)] as const;
    heap.set(factors, a! / 4); // a now holds the factors of dx
    simd.channelBinary(CHANNEL_OPS.Multiply, heapOffset(backend, dy), rows, channels, a!, heapOffset(backend, dx), false);
    return sums;
  });
  const dMean = new Float32Array(channels);
  const dVariance = new Float32Array(channels);
  const dScale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const r = rsqrt[c]!;
    const sc = s[c]!;
    dMean[c] = -r * sc * sumDy[c]!;
    dVariance[c] = -0.5 * r * r * r * sc * sumDyXmu[c]!;
    dScale[c] = r * sumDyXmu[c]!;
  }
  return [
    dx,
    perChannelOutput(backend, mean, dMean),
    perChannelOutput(backend, mean, dVariance),
    perChannelOutput(backend, mean, dScale),
    perChannelOutput(backend, mean, sumDy),
  ];
}

export const batchNormGradConfig = wasmKernel(BATCH_NORM_GRAD, batchNormGrad);
