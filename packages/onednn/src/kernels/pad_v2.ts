import * as tf from '@tensorflow/tfjs';
import type { PadV2Attrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Args = OnednnKernelArgs<{ x: TensorInfo }, PadV2Attrs>;

/** PadV2 (constant padding) of float32 data as one native fill and copy. */
function padV2(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const { x } = inputs;
  const { paddings, constantValue } = attrs;
  if (!nativeInputs(x) || x.shape.length === 0 || x.shape.length > 8 || paddings.length !== x.shape.length) {
    return cpuKernel(tf.PadV2)(args as never) as TensorInfo;
  }
  const before = paddings.map((p) => p[0]);
  const after = paddings.map((p) => p[1]);
  const [y, values] = output(
    backend,
    x.shape.map((d, i) => before[i]! + d + after[i]!),
  );
  addon().pad(x.shape, before, after, constantValue, f32(backend, x), values);
  return y;
}

export const padV2Config = onednnKernel(tf.PadV2, padV2);
