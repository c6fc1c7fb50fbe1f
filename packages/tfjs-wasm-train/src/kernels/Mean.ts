import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, MeanAttrs, TensorInfo } from '@tensorflow/tfjs';
import { columnSums, leadingAxes, reducedShape } from '../leading_axes.js';
import { asWasmBackend, heapF32, runKernel } from '../wasm_backend.js';

/**
 * Mean over the leading axes of a float32 tensor (batch-norm moments over
 * batch, rows and columns) as one pass of column sums in JS; the backend's
 * own kernel first transposes the whole tensor. Every other mean goes to the
 * backend's kernel.
 */
function mean(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  const attrs = args.attrs as unknown as MeanAttrs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Mean, { x }, attrs);

  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const sums = columnSums(heapF32(backend, x), rows, tf.util.sizeFromShape(x.shape.slice(leading)));
  const out = backend.makeOutput(reducedShape(x.shape, leading, attrs.keepDims), 'float32');
  const dst = heapF32(backend, out);
  for (let c = 0; c < sums.length; c++) dst[c] = sums[c]! / rows;
  return out;
}

export const meanConfig: KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: mean as KernelFunc,
};
