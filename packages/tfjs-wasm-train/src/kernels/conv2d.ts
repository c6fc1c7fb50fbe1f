import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
import { patchConv2D } from '../simd/patch_gemm.js';
import { winogradConv2D } from '../simd/winograd.js';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo; filter: TensorInfo }, Conv2DAttrs>;

/** The geometry of a Conv2D / FusedConv2D call. */
export function conv2DInfo(x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
}

/**
 * Conv2D: 3x3 stride-1 float32 convolutions with enough channels run as
 * Winograd F(4x4, 3x3) on the SIMD kernels, other shapes with input channels
 * in fours as SIMD products over gathered patches (both split across the
 * kernel threads); everything else on the backend's XNNPACK kernel.
 */
function conv2D({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, filter } = inputs;
  if (x.dtype === 'float32' && filter.dtype === 'float32' && x.shape.length === 4 && filter.shape.length === 4) {
    const info = conv2DInfo(x, filter, attrs);
    const y =
      winogradConv2D(backend, x, filter, info) ?? (patchesFaster(info) ? patchConv2D(backend, x, filter, info) : null);
    if (y !== null) return y;
  }
  return runKernel(backend, tf.Conv2D, { x, filter }, attrs);
}

/**
 * Whether the patch products beat XNNPACK forward even on one thread: with
 * input channels in fours (a patch gathers in vectors); for the stem's one
 * to three channels XNNPACK is faster on one thread.
 */
export function patchesFaster(info: tf.backend_util.Conv2DInfo): boolean {
  return info.inChannels % 4 === 0;
}

export const conv2DConfig = wasmKernel(tf.Conv2D, conv2D);
