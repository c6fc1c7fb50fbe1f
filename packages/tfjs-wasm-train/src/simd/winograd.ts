import type * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type WasmBackend, heapOffset, withHeapBuffers } from '../wasm_backend.js';
import { kernelsFor } from '../threads/kernels_for.js';

type Conv2DInfo = tf.backend_util.Conv2DInfo;

/** Tiles per chunk: the chunk's transformed inputs and outputs take about this many bytes. */
const CHUNK_BYTES = 1 << 18;

function chunkTiles(cin: number, cout: number): number {
  return Math.min(512, Math.max(16, Math.floor(CHUNK_BYTES / (36 * 4 * (cin + cout)))));
}

/**
 * Whether Winograd F(4x4, 3x3) serves this convolution: a 3x3 filter, stride
 * and dilation 1, NHWC, channel counts that are multiples of 4 and at least
 * 16 (below that the transforms cost more than the products they save), and
 * an output that fills at least 35% of its 4x4 tiles (`outH x outW`: the
 * output of the convolution actually computed, which for an input gradient is
 * the input's size).
 */
export function winogradServes(info: Conv2DInfo, cin: number, cout: number, outH: number, outW: number): boolean {
  const tiles = Math.ceil(outH / 4) * Math.ceil(outW / 4);
  return (
    info.filterHeight === 3 &&
    info.filterWidth === 3 &&
    info.strideHeight === 1 &&
    info.strideWidth === 1 &&
    info.dilationHeight === 1 &&
    info.dilationWidth === 1 &&
    info.dataFormat === 'channelsLast' &&
    cin % 4 === 0 &&
    cout % 4 === 0 &&
    cin >= 16 &&
    cout >= 16 &&
    info.batchSize > 0 &&
    tiles > 0 &&
    (outH * outW) / (16 * tiles) >= 0.35
  );
}

/**
 * One stride-1 3x3 convolution by Winograd F(4x4, 3x3): `input` [n, h, w,
 * cin] to a new [n, oh, ow, cout], with `filter` as stored by the layer
 * ([3, 3, ci, co]; `flip` uses it flipped and transposed, for an input
 * gradient). Null when Winograd does not serve it or the SIMD kernels are
 * unavailable.
 */
function winograd3x3(
  backend: WasmBackend,
  info: Conv2DInfo,
  conv: {
    input: TensorInfo;
    h: number;
    w: number;
    cin: number;
    padTop: number;
    padLeft: number;
    filter: TensorInfo;
    flip: boolean;
    cout: number;
    oh: number;
    ow: number;
    bias: TensorInfo | null;
    relu: boolean;
  },
): TensorInfo | null {
  const { input, h, w, cin, filter, cout, oh, ow } = conv;
  if (!winogradServes(info, cin, cout, oh, ow)) return null;
  const k = kernelsFor(backend);
  if (k === null) return null;
  const tc = chunkTiles(cin, cout);
  const y = backend.makeOutput([info.batchSize, oh, ow, cout], 'float32');
  withHeapBuffers(backend, [k.filterBytes(cin, cout), k.scratchBytes(cin, cout, tc, false)], (u, scratch) => {
    k.filterTransform(heapOffset(backend, filter), info.inChannels, info.outChannels, conv.flip, u);
    const bias = conv.bias === null ? 0 : heapOffset(backend, conv.bias);
    k.conv3x3(
      heapOffset(backend, input),
      info.batchSize,
      h,
      w,
      cin,
      conv.padTop,
      conv.padLeft,
      u,
      cout,
      bias,
      conv.relu,
      heapOffset(backend, y),
      oh,
      ow,
      scratch,
      tc,
    );
  });
  return y;
}

/** y = conv(x, filter) (+ bias, relu) by Winograd, or null when it does not serve. */
export function winogradConv2D(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
  bias: TensorInfo | null = null,
  relu = false,
): TensorInfo | null {
  const { inHeight: h, inWidth: w, inChannels, outHeight: oh, outWidth: ow, outChannels } = info;
  const { top, left } = info.padInfo;
  return winograd3x3(backend, info, {
    input: x,
    h,
    w,
    cin: inChannels,
    padTop: top,
    padLeft: left,
    filter,
    flip: false,
    cout: outChannels,
    oh,
    ow,
    bias,
    relu,
  });
}

/**
 * dx of a 3x3 stride-1 convolution: the convolution of dy with the flipped
 * filter, its channels swapped, padded by 2 - pad. Null when Winograd does not serve.
 */
export function winogradConv2DBackpropInput(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  info: Conv2DInfo,
): TensorInfo | null {
  const { inHeight: h, inWidth: w, inChannels, outHeight: oh, outWidth: ow, outChannels } = info;
  const { top, left } = info.padInfo;
  return winograd3x3(backend, info, {
    input: dy,
    h: oh,
    w: ow,
    cin: outChannels,
    padTop: 2 - top,
    padLeft: 2 - left,
    filter,
    flip: true,
    cout: inChannels,
    oh: h,
    ow: w,
    bias: null,
    relu: false,
  });
}

/** dW of a 3x3 stride-1 convolution by Winograd, summed over dy's 4x4 tiles. Null when it does not serve. */
export function winogradConv2DBackpropFilter(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  info: Conv2DInfo,
): TensorInfo | null {
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  if (!winogradServes(info, ci, co, oh, ow)) return null;
  const k = kernelsFor(backend);
  if (k === null) return null;
  const tc = chunkTiles(ci, co);
  const dw = backend.makeOutput([3, 3, ci, co], 'float32');
  withHeapBuffers(backend, [k.scratchBytes(ci, co, tc, true)], (scratch) => {
    const { top, left } = info.padInfo;
    k.conv3x3Filter(
      heapOffset(backend, x),
      n,
      h,
      w,
      ci,
      top,
      left,
      heapOffset(backend, dy),
      oh,
      ow,
      co,
      heapOffset(backend, dw),
      scratch,
      tc,
    );
  });
  return dw;
}
