import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { conv2dExplicit } from '../conv2d_explicit.js';
import { patchConv2DBackpropFilter } from '../simd/patch_gemm.js';
import { winogradConv2DBackpropFilter } from '../simd/winograd.js';
import { assertFloat32, assertNHWC, assertNoDilation } from '../conv_guards.js';
import {
  type WasmBackend,
  type WasmKernelArgs,
  dispose,
  heapF32,
  runKernel,
  shape4d,
  wasmKernel,
} from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo; dy: TensorInfo }, Conv2DBackpropFilterAttrs & { dilations?: unknown }>;

/**
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[n, oh, ow, co].
 *
 * With the SIMD kernels: Winograd F(4x4, 3x3) where it serves (3x3, stride
 * 1, 16+ channels), else one SIMD product of the gathered input patches,
 * transposed, with dy (output channels a multiple of 4). Otherwise, and without SIMD, it is itself a
 * convolution once batch and channels swap places: the input
 * is x as [ci, h, w, n], the filter is dy as [oh, ow, n, co], the stride
 * becomes a dilation, and the output is [ci, kh, kw, co]. XNNPACK runs it.
 * XNNPACK repacks the filter operand on every call, so with stride 1, when x
 * is clearly the smaller operand (a layer that widens the channels), the
 * roles swap: dy as [co, oh, ow, n] is the input, x as [h, w, n, ci] the
 * filter, and the output comes out flipped as [co, kh, kw, ci].
 */
function conv2DBackpropFilter({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  assertNHWC(tf.Conv2DBackpropFilter, attrs.dataFormat);
  assertNoDilation(tf.Conv2DBackpropFilter, attrs.dilations);
  assertFloat32(tf.Conv2DBackpropFilter, 'x', x.dtype, x.shape);
  assertFloat32(tf.Conv2DBackpropFilter, 'dy', dy.dtype, dy.shape);

  const info = tf.backend_util.computeConv2DInfo(
    shape4d(tf.Conv2DBackpropFilter, 'x', x),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}] but x [${x.shape}] with filter [${attrs.filterShape}], ` +
        `strides ${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} gives [${info.outShape}].`,
    );
  }

  const simd = winogradConv2DBackpropFilter(backend, x, dy, info) ?? patchConv2DBackpropFilter(backend, x, dy, info);
  if (simd !== null) return simd;
  if (packInputAsFilter(info)) return gradWithInputAsFilter(backend, x, dy, info);
  const xT = runKernel(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = runKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const { top, left } = info.padInfo;
  const grad = conv2dExplicit(
    backend,
    xT,
    dyT,
    {
      top,
      left,
      bottom: filterHeight + (outHeight - 1) * strideHeight - inHeight - top,
      right: filterWidth + (outWidth - 1) * strideWidth - inWidth - left,
    },
    [strideHeight, strideWidth],
  );
  dispose(backend, xT, dyT);
  if (grad === null) return zeros(backend, attrs.filterShape);
  const out = runKernel(backend, 'Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  dispose(backend, grad);
  return out;
}

/** Stride 1, at least 16 input channels, and x under 80% of dy's size (measured: 16% faster on 32 -> 64). */
function packInputAsFilter(info: tf.backend_util.Conv2DInfo): boolean {
  const xSize = info.batchSize * info.inHeight * info.inWidth * info.inChannels;
  const dySize = info.batchSize * info.outHeight * info.outWidth * info.outChannels;
  return info.strideHeight === 1 && info.strideWidth === 1 && info.inChannels >= 16 && xSize < 0.8 * dySize;
}

/** dW[kh, kw, ci, co] = conv(dy as [co, oh, ow, n], x as [h, w, n, ci])[co, KH-1-kh, KW-1-kw, ci]. */
function gradWithInputAsFilter(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: tf.backend_util.Conv2DInfo,
): TensorInfo {
  const { inHeight, inWidth, inChannels: ci, outHeight, outWidth, outChannels: co } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const { top, left } = info.padInfo;
  const dyT = runKernel(backend, 'Transpose', { x: dy }, { perm: [3, 1, 2, 0] });
  const xF = runKernel(backend, 'Transpose', { x }, { perm: [1, 2, 0, 3] });
  const flipped = conv2dExplicit(backend, dyT, xF, {
    top: kh - 1 - top,
    bottom: inHeight - outHeight + top,
    left: kw - 1 - left,
    right: inWidth - outWidth + left,
  });
  dispose(backend, dyT, xF);
  if (flipped === null) return zeros(backend, [kh, kw, ci, co]);
  const out = backend.makeOutput([kh, kw, ci, co], 'float32');
  const src = heapF32(backend, flipped);
  const dst = heapF32(backend, out);
  for (let o = 0; o < co; o++) {
    for (let r = 0; r < kh; r++) {
      for (let c = 0; c < kw; c++) {
        const from = ((o * kh + (kh - 1 - r)) * kw + (kw - 1 - c)) * ci;
        const to = (r * kw + c) * ci * co + o;
        for (let i = 0; i < ci; i++) dst[to + i * co] = src[from + i]!;
      }
    }
  }
  dispose(backend, flipped);
  return out;
}

/** A zero gradient, for when no output position saw any input pixel. */
function zeros(backend: WasmBackend, shape: readonly number[]): TensorInfo {
  const out = backend.makeOutput([...shape], 'float32');
  heapF32(backend, out).fill(0);
  return out;
}

export const conv2DBackpropFilterConfig = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
