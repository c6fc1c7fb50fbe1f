import * as tf from '@tensorflow/tfjs';
import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { CHANNEL_OPS } from '../simd/module.js';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, dispose, heapOffset, tensorFrom, wasmKernel } from '../wasm_backend.js';
import { batchNormFactors, batchNormSums } from './batch_norm_factors.js';

/** This package's kernel for the gradient of FusedBatchNorm (see gradients/batch_norm.ts). */
export const BATCH_NORM_GRAD = 'TfjsWasmTrainBatchNormGrad';

type Args = WasmKernelArgs<
  { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo },
  FusedBatchNormAttrs
>;

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
  const simd = kernelsFor(backend);
  if (simd === null)
    throw new Error(`${BATCH_NORM_GRAD} needs the SIMD kernels on this wasm backend; they are not ready.`);
  const channels = mean.shape[0];
  const rows = tf.util.sizeFromShape(x.shape) / channels;
  const { rsqrt, scale: s, factors } = batchNormFactors(backend, variance, scale, attrs.varianceEpsilon);
  const { sumDy, sums, sumsXmu } = batchNormSums(backend, simd, dy, x, mean);
  const factorsOnHeap = tensorFrom(backend, [channels], factors);
  const dx = backend.makeOutput([...x.shape], 'float32');
  simd.channelBinary(
    CHANNEL_OPS.Multiply,
    heapOffset(backend, dy),
    rows,
    channels,
    heapOffset(backend, factorsOnHeap),
    heapOffset(backend, dx),
    false,
  );
  dispose(backend, factorsOnHeap);
  const dMean = new Float32Array(channels);
  const dVariance = new Float32Array(channels);
  const dScale = new Float32Array(channels);
  for (let c = 0; c < channels; c++) {
    const r = rsqrt[c];
    dMean[c] = -r * s[c] * sums[c];
    dVariance[c] = -0.5 * r * r * r * s[c] * sumsXmu[c];
    dScale[c] = r * sumsXmu[c];
  }
  return [
    dx,
    tensorFrom(backend, mean.shape, dMean),
    tensorFrom(backend, mean.shape, dVariance),
    tensorFrom(backend, mean.shape, dScale),
    sumDy,
  ];
}

export const batchNormGradConfig = wasmKernel(BATCH_NORM_GRAD, batchNormGrad);
