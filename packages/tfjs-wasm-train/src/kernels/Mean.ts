import * as tf from '@tensorflow/tfjs';
import type { MeanAttrs, TensorInfo } from '@tensorflow/tfjs';
import { columnSums, leadingAxes, reducedShape } from '../leading_axes.js';
import { type WasmKernelArgs, heapF32, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<
  { x: TensorInfo },
  MeanAttrs
>;

/**
 * Mean over the leading axes of a float32 tensor (batch-norm moments over
 * batch, rows and columns) as one pass of column sums in JS; the backend's
 * own kernel first transposes the whole tensor. Every other mean goes to the
 * backend's kernel.
 */
function mean({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Mean, { x }, attrs);

  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const sums = columnSums(heapF32(backend, x), rows, tf.util.sizeFromShape(x.shape.slice(leading)));
  const out = backend.makeOutput(reducedShape(x.shape, leading, attrs.keepDims), 'float32');
  const dst = heapF32(backend, out);
  for (let c = 0; c < sums.length; c++) dst[c] = sums[c]! / rows;
  return out;
}

export const meanConfig = wasmKernel(tf.Mean, mean);
