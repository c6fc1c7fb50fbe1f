import * as tf from '@tensorflow/tfjs';
import type { SumAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

function reduceKernel(kernel: string, op: 'sum' | 'mean') {
  return (args: OnednnKernelArgs<{ x: TensorInfo }, SumAttrs>): TensorInfo => {
    const { backend, inputs, attrs } = args;
    const { x } = inputs;
    if (!nativeInputs(x) || x.shape.length === 0) return cpuKernel(kernel)(args as never) as TensorInfo;
    const axes = tf.util.parseAxisParam(attrs.axis, x.shape);
    const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const [y, values] = output(backend, attrs.keepDims ? kept : outShape);
    // Over axes of size 1 only, the sum and the mean are x itself; oneDNN refuses a reduction that reduces nothing.
    if (kept.every((d, i) => d === x.shape[i])) values.set(f32(backend, x));
    else addon().reduce(op, x.shape, kept, f32(backend, x), values);
    return y;
  };
}

/** Sum and Mean of float32 tensors over any axes, on oneDNN's reduction primitive. */
export const reduceConfigs = [
  onednnKernel(tf.Sum, reduceKernel(tf.Sum, 'sum')),
  onednnKernel(tf.Mean, reduceKernel(tf.Mean, 'mean')),
];
