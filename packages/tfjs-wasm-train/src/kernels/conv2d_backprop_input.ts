import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { conv2dExplicit } from '../conv2d_explicit.js';
import { patchConv2DBackpropInput } from '../simd/patch_gemm.js';
import { winogradConv2DBackpropInput } from '../simd/winograd.js';
import { assertFloat32, assertNHWC, assertNoDilation } from '../conv_guards.js';
import { type WasmBackend, type WasmKernelArgs, dispose, heapF32, shape4d, wasmKernel } from '../wasm_backend.js';

/** One stride phase along one axis: input rows i with (i + pad) mod stride = phase. */
interface AxisPhase {
  /** Taps of the filter that reach these rows: phase, phase + stride, ... */
  taps: number;
  /** q of the first and last row, where row = q * stride + phase - pad. */
  qFirst: number;
  qLast: number;
}

function axisPhase(phase: number, stride: number, kernel: number, pad: number, size: number): AxisPhase {
  return {
    taps: Math.max(0, Math.ceil((kernel - phase) / stride)),
    qFirst: Math.ceil((pad - phase) / stride),
    qLast: Math.floor((size - 1 + pad - phase) / stride),
  };
}

/**
 * The filter taps of one phase, flipped, with in/out channels swapped:
 * out[j, l, co, ci] = filter[ph + (jh-1-j)*sh, pw + (jw-1-l)*sw, ci, co].
 */
function phaseFilter(
  backend: WasmBackend,
  filter: TensorInfo,
  ph: number,
  pw: number,
  rows: AxisPhase,
  cols: AxisPhase,
  sh: number,
  sw: number,
): TensorInfo {
  const [, kw, ci, co] = shape4d(tf.Conv2DBackpropInput, 'filter', filter);
  const out = backend.makeOutput([rows.taps, cols.taps, co, ci], 'float32');
  const src = heapF32(backend, filter);
  const dst = heapF32(backend, out);
  let o = 0;
  for (let j = 0; j < rows.taps; j++) {
    const kRow = ph + (rows.taps - 1 - j) * sh;
    for (let l = 0; l < cols.taps; l++) {
      const base = (kRow * kw + pw + (cols.taps - 1 - l) * sw) * ci * co;
      for (let c = 0; c < co; c++) {
        for (let i = 0; i < ci; i++) dst[o++] = src[base + i * co + c]!;
      }
    }
  }
  return out;
}

type Args = WasmKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, Conv2DBackpropInputAttrs & { dilations?: unknown }>;

/**
 * dx of a convolution: by Winograd where it serves (3x3, stride 1, 16+
 * channels), else as SIMD products of dy with the transposed filter added
 * back onto the input pixels (col2im), split across the kernel threads.
 * Without the SIMD kernels: split by stride phase (sub-pixel decomposition), each
 * phase of dx is a stride-1 convolution of dy with the flipped taps that reach
 * it; XNNPACK runs every one, and the phases interleave into dx. With stride
 * 1 there is a single phase and it is dx.
 */
function conv2DBackpropInput({ backend, inputs, attrs }: Args): TensorInfo {
  const { dy, filter } = inputs;
  assertNHWC(tf.Conv2DBackpropInput, attrs.dataFormat);
  assertNoDilation(tf.Conv2DBackpropInput, attrs.dilations);
  assertFloat32(tf.Conv2DBackpropInput, 'dy', dy.dtype, dy.shape);
  assertFloat32(tf.Conv2DBackpropInput, 'filter', filter.dtype, filter.shape);

  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    shape4d(tf.Conv2DBackpropInput, 'filter', filter),
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `Conv2DBackpropInput: dy has shape [${dy.shape}] but input [${attrs.inputShape}] with filter ` +
        `[${filter.shape}], ` +
        `strides ${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} gives [${info.outShape}].`,
    );
  }

  const simd =
    winogradConv2DBackpropInput(backend, dy, filter, info) ?? patchConv2DBackpropInput(backend, dy, filter, info);
  if (simd !== null) return simd;
  const dx = sh === 1 && sw === 1 ? null : backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
  if (dx !== null) heapF32(backend, dx).fill(0);
  for (let ph = 0; ph < sh; ph++) {
    const rows = axisPhase(ph, sh, filterHeight, top, inHeight);
    for (let pw = 0; pw < sw; pw++) {
      const cols = axisPhase(pw, sw, filterWidth, left, inWidth);
      if (rows.taps === 0 || cols.taps === 0 || rows.qLast < rows.qFirst || cols.qLast < cols.qFirst) continue;
      const f = phaseFilter(backend, filter, ph, pw, rows, cols, sh, sw);
      const padTop = rows.taps - 1 - rows.qFirst;
      const padLeft = cols.taps - 1 - cols.qFirst;
      const part = conv2dExplicit(backend, dy, f, {
        top: padTop,
        left: padLeft,
        bottom: rows.qLast - rows.qFirst + rows.taps - outHeight - padTop,
        right: cols.qLast - cols.qFirst + cols.taps - outWidth - padLeft,
      });
      dispose(backend, f);
      if (part === null) continue;
      if (dx === null) return part;
      scatterPhase(backend, part, dx, ph + rows.qFirst * sh - top, pw + cols.qFirst * sw - left, sh, sw);
      dispose(backend, part);
    }
  }
  if (dx === null) {
    const zeros = backend.makeOutput([batchSize, inHeight, inWidth, inChannels], 'float32');
    heapF32(backend, zeros).fill(0);
    return zeros;
  }
  return dx;
}

/** dx[n, row0 + t*sh, col0 + u*sw, :] = part[n, t, u, :]. */
function scatterPhase(
  backend: WasmBackend,
  part: TensorInfo,
  dx: TensorInfo,
  row0: number,
  col0: number,
  sh: number,
  sw: number,
): void {
  const [n, rows, cols, c] = shape4d(tf.Conv2DBackpropInput, 'phase', part);
  const [, h, w] = shape4d(tf.Conv2DBackpropInput, 'dx', dx);
  const src = heapF32(backend, part);
  const dst = heapF32(backend, dx);
  let s = 0;
  for (let b = 0; b < n; b++) {
    for (let t = 0; t < rows; t++) {
      const rowBase = (b * h + row0 + t * sh) * w;
      for (let u = 0; u < cols; u++) {
        dst.set(src.subarray(s, s + c), (rowBase + col0 + u * sw) * c);
        s += c;
      }
    }
  }
}

export const conv2DBackpropInputConfig = wasmKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
