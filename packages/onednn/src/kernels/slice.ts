import * as tf from '@tensorflow/tfjs';
import type { SliceAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Args = OnednnKernelArgs<{ x: TensorInfo }, SliceAttrs>;

/** Slice of float32 data as native copies of contiguous runs (the cpu kernel walks it a value at a time). */
function slice(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const { x } = inputs;
  if (!nativeInputs(x) || x.shape.length === 0 || x.shape.length > 8)
    return cpuKernel(tf.Slice)(args as never) as TensorInfo;
  const [begin, size] = tf.slice_util.parseSliceParams(x as tf.Tensor, attrs.begin, attrs.size);
  tf.slice_util.assertParamsValid(x as tf.Tensor, begin, size);
  if (size.some((d) => d === 0)) return cpuKernel(tf.Slice)(args as never) as TensorInfo;
  const [y, values] = output(backend, size);
  addon().slice(x.shape, begin, size, f32(backend, x), values);
  return y;
}

export const sliceConfig = onednnKernel(tf.Slice, slice);
