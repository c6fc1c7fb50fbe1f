import * as tf from '@tensorflow/tfjs';
import type { FusedConv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
import { patchConv2D } from '../simd/patch_gemm.js';
import { winogradConv2D } from '../simd/winograd.js';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';
import { conv2DInfo, patchesFaster } from './conv2d.js';

type Args = WasmKernelArgs<
  { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo },
  FusedConv2DAttrs
>;

/**
 * FusedConv2D (what `model.predict` runs for a conv layer): like Conv2D, with
 * the bias and a linear or relu activation applied as the Winograd output
 * tiles (or the patch products' rows) are written. Other activations, and biases that are not one value
 * per output channel, go to the backend's kernel.
 */
function fusedConv2D({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, filter, bias } = inputs;
  const fusable =
    (attrs.activation === 'linear' || attrs.activation === 'relu') &&
    x.dtype === 'float32' &&
    filter.dtype === 'float32' &&
    x.shape.length === 4 &&
    filter.shape.length === 4 &&
    (bias === undefined || (bias.dtype === 'float32' && tf.util.sizeFromShape(bias.shape) === filter.shape[3]));
  if (fusable) {
    const info = conv2DInfo(x, filter, attrs);
    const relu = attrs.activation === 'relu';
    const y =
      winogradConv2D(backend, x, filter, info, bias ?? null, relu) ??
      (patchesFaster(info) ? patchConv2D(backend, x, filter, info, bias ?? null, relu) : null);
    if (y !== null) return y;
  }
  return runKernel(backend, tf.FusedConv2D, inputs, attrs);
}

export const fusedConv2DConfig = wasmKernel(tf.FusedConv2D, fusedConv2D);
