import type { TensorInfo } from '@tensorflow/tfjs';
import { type WasmBackend, dispose, runKernel, shape4d } from './wasm_backend.js';

/** Padding on each side; a negative amount crops that many rows or columns instead. */
export interface Pads {
  top: number;
  bottom: number;
  left: number;
  right: number;
}

/**
 * Stride-1 NHWC convolution with the wasm backend's XNNPACK `Conv2D` and
 * arbitrary (also negative, i.e. cropping) padding. Returns null when the
 * output would be empty.
 */
export function conv2dExplicit(
  backend: WasmBackend,
  x: TensorInfo,
  filter: TensorInfo,
  pads: Pads,
  dilations: [number, number] = [1, 1],
): TensorInfo | null {
  const [n, h, w, c] = shape4d('Conv2D', 'x', x);
  const [kh, kw] = shape4d('Conv2D', 'filter', filter);
  const cropTop = Math.max(0, -pads.top);
  const cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left);
  const cropRight = Math.max(0, -pads.right);
  const inH = h - cropTop - cropBottom;
  const inW = w - cropLeft - cropRight;
  const padTop = Math.max(0, pads.top);
  const padBottom = Math.max(0, pads.bottom);
  const padLeft = Math.max(0, pads.left);
  const padRight = Math.max(0, pads.right);
  const outH = inH + padTop + padBottom - (kh - 1) * dilations[0];
  const outW = inW + padLeft + padRight - (kw - 1) * dilations[1];
  if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) return null;

  const cropped = cropTop + cropBottom + cropLeft + cropRight > 0;
  const input = cropped
    ? runKernel(backend, 'Slice', { x }, { begin: [0, cropTop, cropLeft, 0], size: [n, inH, inW, c] })
    : x;
  const out = runKernel(
    backend,
    'Conv2D',
    { x: input, filter },
    {
      strides: [1, 1],
      dilations,
      pad: [
        [0, 0],
        [padTop, padBottom],
        [padLeft, padRight],
        [0, 0],
      ],
      dataFormat: 'NHWC',
    },
  );
  if (cropped) dispose(backend, input);
  return out;
}
