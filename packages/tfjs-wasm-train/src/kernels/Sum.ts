import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { columnSums, leadingAxes, reducedShape } from '../leading_axes.js';
import { asWasmBackend, heapF32, runKernel } from '../wasm_backend.js';

/**
 * Sum over the leading axes of a float32 tensor (a bias or batch-norm
 * gradient: dy summed over batch, rows and columns) as one pass of column
 * sums in JS. The backend's own kernel first transposes the whole tensor to
 * make those axes innermost. Every other sum goes to the backend's kernel.
 */
function sum(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  const attrs = args.attrs as unknown as SumAttrs;
  const leading = leadingAxes(x.shape, attrs.axis);
  if (x.dtype !== 'float32' || leading === 0) return runKernel(backend, tf.Sum, { x }, attrs);

  const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
  const sums = columnSums(heapF32(backend, x), rows, tf.util.sizeFromShape(x.shape.slice(leading)));
  const out = backend.makeOutput(reducedShape(x.shape, leading, attrs.keepDims), 'float32');
  heapF32(backend, out).set(sums);
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sum as KernelFunc,
};
