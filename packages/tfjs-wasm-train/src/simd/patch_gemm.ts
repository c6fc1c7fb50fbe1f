import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type WasmBackend, dispose, heapF32, heapOffset, withHeapBuffers } from '../wasm_backend.js';
import { kernelsFor } from '../threads/kernels_for.js';
import type { SimdKernels } from './module.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** Output pixels per chunk: a chunk's gathered patches take about this many bytes. */
const CHUNK_BYTES = 1 << 18;

/** K (floats in one patch: fh * fw * ci) rounded up to a multiple of 4. */
const padded = (k: number): number => Math.ceil(k / 4) * 4;

function chunkRows(k: number): number {
  return Math.max(16, Math.floor(CHUNK_BYTES / (4 * padded(k))));
}

/**
 * Whether the patch products serve this convolution: dilation 1, NHWC, a
 * batch, and `channels` (the product's output width: the layer's output
 * channels forward, its K = fh * fw * ci backward, padded) a multiple of 4.
 */
function patchesServe(info: Conv2DInfo, channels: number): boolean {
  return (
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    info.batchSize > 0 &&
    info.outHeight > 0 &&
    info.outWidth > 0 &&
    channels % 4 === 0 &&
    info.batchSize * info.outHeight * info.outWidth * padded(info.filterHeight * info.filterWidth * info.inChannels) <
      2 ** 29 // the module's offsets are 32-bit
  );
}

/** A convolution's geometry in the order the patch kernels take it, and their chunk size. */
interface Geometry {
  n: number;
  h: number;
  w: number;
  ci: number;
  oh: number;
  ow: number;
  co: number;
  /** fh, fw, sh, sw, padTop, padLeft: the filter, strides and padding, as every patch kernel lists them. */
  window: [number, number, number, number, number, number];
  /** Floats in one patch: fh * fw * ci. */
  k: number;
  /** Output pixels per chunk. */
  rows: number;
}

/**
 * Runs `f` with the SIMD kernels, the geometry and a chunk's scratch buffer,
 * or returns null (having run nothing) when the patch products do not serve
 * (`channels`: the product's output width) or the SIMD kernels are unavailable.
 */
function withPatches<T>(
  backend: WasmBackend,
  info: Conv2DInfo,
  channels: number,
  f: (k: SimdKernels, g: Geometry, scratch: number) => T,
): T | null {
  if (!patchesServe(info, channels)) return null;
  const k = kernelsFor(backend);
  if (k === null) return null;
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const g: Geometry = {
    n,
    h,
    w,
    ci,
    oh,
    ow,
    co,
    window: [fh, fw, sh, sw, padInfo.top, padInfo.left],
    k: fh * fw * ci,
    rows: chunkRows(fh * fw * ci),
  };
  return withHeapBuffers(backend, [k.patchScratchBytes(g.k, g.rows)], (scratch) => f(k, g, scratch));
}

/**
 * y = conv(x, filter) (+ bias, relu) as SIMD matrix products over the
 * gathered input patches: any kernel size, stride and padding. Null when it
 * does not serve (dilation, output channels not a multiple of 4) or the
 * SIMD kernels are unavailable.
 */
export function patchConv2D(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
  bias: TensorInfo | null = null,
  relu = false,
): TensorInfo | null {
  return withPatches(backend, info, info.outChannels, (k, { n, h, w, ci, oh, ow, co, window, rows }, scratch) => {
    const y = backend.makeOutput([n, oh, ow, co], 'float32');
    const at = (t: TensorInfo) => heapOffset(backend, t);
    const b = bias === null ? 0 : at(bias);
    k.conv2dPatches(at(x), n, h, w, ci, at(filter), ...window, co, b, relu, at(y), oh, ow, scratch, rows);
    return y;
  });
}

/**
 * dx of any convolution (dilation 1) from dy: each output pixel's dy times
 * the filter transposed gives the gradient of its patch, added back onto the
 * input pixels (col2im). Null when it does not serve or the SIMD kernels are
 * unavailable.
 */
export function patchConv2DBackpropInput(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo | null {
  const kp = padded(info.filterHeight * info.filterWidth * info.inChannels);
  return withPatches(backend, info, kp, (k, { n, h, w, ci, oh, ow, co, window, k: kk, rows }, scratch) => {
    // gt[c, j] = filter[j, c] (the filter is [fh, fw, ci, co]: K rows of co), zero for j >= K.
    const gt = backend.makeOutput([co, kp], 'float32');
    const g = heapF32(backend, filter);
    const t = heapF32(backend, gt);
    for (let c = 0; c < co; c++) {
      const row = c * kp;
      for (let j = 0; j < kk; j++) t[row + j] = g[j * co + c]!;
      t.fill(0, row + kk, row + kp);
    }
    const dx = backend.makeOutput([n, h, w, ci], 'float32');
    const at = (x: TensorInfo) => heapOffset(backend, x);
    try {
      k.conv2dPatchesInputGrad(at(dy), n, oh, ow, co, at(gt), ...window, at(dx), h, w, ci, scratch, rows);
    } finally {
      dispose(backend, gt);
    }
    return dx;
  });
}

/**
 * dW of any convolution (dilation 1) as one SIMD product of the gathered
 * patches, transposed, with dy. Null when it does not serve (output channels
 * not a multiple of 4) or the SIMD kernels are unavailable.
 */
export function patchConv2DBackpropFilter(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): TensorInfo | null {
  return withPatches(backend, info, info.outChannels, (k, { n, h, w, ci, oh, ow, co, window, rows }, scratch) => {
    const [fh, fw] = window;
    const dw = backend.makeOutput([fh, fw, ci, co], 'float32');
    const at = (t: TensorInfo) => heapOffset(backend, t);
    k.conv2dPatchesFilterGrad(at(x), n, h, w, ci, at(dy), oh, ow, co, ...window, at(dw), scratch, rows);
    return dw;
  });
}
