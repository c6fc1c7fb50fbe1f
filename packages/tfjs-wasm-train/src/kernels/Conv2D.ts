import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
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
 * Winograd F(4x4, 3x3) on the SIMD kernels; everything else on the backend's
 * XNNPACK kernel.
 */
function conv2D({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, filter } = inputs;
  if (x.dtype === 'float32' && filter.dtype === 'float32' && x.shape.length === 4 && filter.shape.length === 4) {
    const y = winogradConv2D(backend, x, filter, conv2DInfo(x, filter, attrs));
    if (y !== null) return y;
  }
  return runKernel(backend, tf.Conv2D, { x, filter }, attrs);
}

export const conv2DConfig = wasmKernel(tf.Conv2D, conv2D);
