import * as tf from '@tensorflow/tfjs';
import type { SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { leadingAxes, reduceLeading } from '../leading_axes.js';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, SumAttrs>;

/**
 * Sum over the leading axes of a float32 tensor (a bias or batch-norm
 * gradient: dy summed over batch, rows and columns) as one pass of column
 * sums (SIMD, or JS). The backend's own kernel first transposes the whole tensor to
 * make those axes innermost. Every other sum goes to the backend's kernel.
 */
function sum({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Sum, { x }, attrs);

  return reduceLeading(backend, x, leading, attrs.keepDims, 1);
}

export const sumConfig = wasmKernel(tf.Sum, sum);
