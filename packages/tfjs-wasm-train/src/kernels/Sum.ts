import * as tf from '@tensorflow/tfjs';
import type { SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { columnSums, leadingAxes, reducedShape } from '../leading_axes.js';
import { type WasmKernelArgs, heapF32, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<
  { x: TensorInfo },
  SumAttrs
>;

/**
 * Sum over the leading axes of a float32 tensor (a bias or batch-norm
 * gradient: dy summed over batch, rows and columns) as one pass of column
 * sums in JS. The backend's own kernel first transposes the whole tensor to
 * make those axes innermost. Every other sum goes to the backend's kernel.
 */
function sum({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Sum, { x }, attrs);

  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const sums = columnSums(heapF32(backend, x), rows, tf.util.sizeFromShape(x.shape.slice(leading)));
  const out = backend.makeOutput(reducedShape(x.shape, leading, attrs.keepDims), 'float32');
  heapF32(backend, out).set(sums);
  return out;
}

export const sumConfig = wasmKernel(tf.Sum, sum);
