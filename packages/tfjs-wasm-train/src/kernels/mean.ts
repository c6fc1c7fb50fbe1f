import * as tf from '@tensorflow/tfjs';
import type { MeanAttrs, TensorInfo } from '@tensorflow/tfjs';
import { leadingAxes, reduceLeading } from '../leading_axes.js';
import { type WasmKernelArgs, runKernel, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo }, MeanAttrs>;

/**
 * Mean over the leading axes of a float32 tensor (batch-norm moments over
 * batch, rows and columns) as one pass of column sums (SIMD, or JS); the backend's
 * own kernel first transposes the whole tensor. Every other mean goes to the
 * backend's kernel.
 */
function mean({ backend, inputs, attrs }: Args): TensorInfo {
  const { x } = inputs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Mean, { x }, attrs);

  return reduceLeading(backend, x, leading, attrs.keepDims, 1 / tf.util.sizeFromShape(x.shape.slice(0, leading)));
}

export const meanConfig = wasmKernel(tf.Mean, mean);
