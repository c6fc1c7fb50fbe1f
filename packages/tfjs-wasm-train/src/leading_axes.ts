import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor } from './threads/kernels_for.js';
import { type WasmBackend, heapF32, heapOffset, withHeapBuffers } from './wasm_backend.js';

/**
 * How many leading axes a reduction covers when `axis` names exactly axes
 * 0..k-1 with 0 < k < rank (batch, rows and columns of an NHWC tensor, as in
 * bias and batch-norm gradients); 0 for any other reduction.
 */
export function leadingAxes(shape: readonly number[], axis: number | number[]): number {
  const axes = tf.util.parseAxisParam(axis, [...shape]).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < shape.length && axes.every((a, i) => a === i);
  return leading ? axes.length : 0;
}

/**
 * Sums of each column of `src` seen as `rows` x `cols`, accumulated in
 * float64, four rows at a time (half the accumulator traffic of one).
 */
export function columnSums(src: Float32Array, rows: number, cols: number): Float64Array {
  const acc = new Float64Array(cols);
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) {
      acc[c] += src[o + c] + src[o + cols + c] + src[o + 2 * cols + c] + src[o + 3 * cols + c];
    }
  }
  for (; r < rows; r++) {
    for (let c = 0, o = r * cols; c < cols; c++) acc[c] += src[o + c];
  }
  return acc;
}

/** The reduced shape: leading axes dropped, or kept as 1. */
export function reducedShape(shape: readonly number[], leading: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (i < leading ? 1 : d)) : shape.slice(leading);
}

/**
 * `scale` times the sum of float32 x over its `leading` axes, as a new tensor:
 * one pass of column sums, with the SIMD kernels when they run on this
 * backend (float32 lanes over blocks of 32 rows, float64 totals), else in JS
 * (float64 throughout).
 */
export function reduceLeading(
  backend: WasmBackend,
  x: TensorInfo,
  leading: number,
  keepDims: boolean,
  scale: number,
): TensorInfo {
  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const cols = tf.util.sizeFromShape(x.shape.slice(leading));
  const out = backend.makeOutput(reducedShape(x.shape, leading, keepDims), 'float32');
  const simd = kernelsFor(backend);
  if (simd !== null) {
    withHeapBuffers(backend, [cols * 8], (acc) =>
      simd.columnSums(heapOffset(backend, x), rows, cols, scale, heapOffset(backend, out), acc),
    );
    return out;
  }
  const sums = columnSums(heapF32(backend, x), rows, cols);
  const dst = heapF32(backend, out);
  for (let c = 0; c < cols; c++) dst[c] = sums[c] * scale;
  return out;
}
