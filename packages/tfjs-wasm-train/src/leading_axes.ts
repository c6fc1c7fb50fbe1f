import * as tf from '@tensorflow/tfjs';

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
      acc[c] += src[o + c]! + src[o + cols + c]! + src[o + 2 * cols + c]! + src[o + 3 * cols + c]!;
    }
  }
  for (; r < rows; r++) {
    for (let c = 0, o = r * cols; c < cols; c++) acc[c] += src[o + c]!;
  }
  return acc;
}

/** The reduced shape: leading axes dropped, or kept as 1. */
export function reducedShape(shape: readonly number[], leading: number, keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (i < leading ? 1 : d)) : shape.slice(leading);
}
