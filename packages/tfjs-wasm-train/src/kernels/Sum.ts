import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { asWasmBackend, heapF32, runKernel } from '../wasm_backend.js';

/**
 * Sum over the leading axes of a float32 tensor (a bias gradient: dy summed
 * over batch, rows and columns) as one pass of column sums in JS, accumulated
 * in float64. The backend's own kernel first transposes the whole tensor to
 * make those axes innermost. Every other sum goes to the backend's kernel.
 */
function sum(args: Parameters<KernelFunc>[0]): TensorInfo {
  const backend = asWasmBackend(args.backend);
  const { x } = args.inputs as { x: TensorInfo };
  const attrs = args.attrs as unknown as SumAttrs;
  const axes = tf.util.parseAxisParam(attrs.axis, x.shape).sort((a, b) => a - b);
  const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((a, i) => a === i);
  if (x.dtype !== 'float32' || !leading) return runKernel(backend, tf.Sum, { x }, attrs);

  const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
  const cols = x.shape.slice(axes.length).reduce((a, b) => a * b, 1);
  const acc = new Float64Array(cols);
  const src = heapF32(backend, x);
  for (let r = 0, o = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++, o++) acc[c] += src[o]!;
  }
  const outShape = attrs.keepDims
    ? x.shape.map((d, i) => (i < axes.length ? 1 : d))
    : x.shape.slice(axes.length);
  const out = backend.makeOutput(outShape, 'float32');
  heapF32(backend, out).set(acc);
  return out;
}

export const sumConfig: KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sum as KernelFunc,
};
