import * as tf from '@tensorflow/tfjs';
import type { Conv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConv } from './conv.js';

type Args = OnednnKernelArgs<{ x: TensorInfo; filter: TensorInfo }, Conv2DAttrs>;

/** Conv2D on oneDNN's direct convolution (NHWC float32); the cpu kernel otherwise. */
function conv2D(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConv(backend, { ...inputs, ...attrs, depthwise: false }) ??
    (cpuKernel(tf.Conv2D)(args as never) as TensorInfo)
  );
}

export const conv2DConfig = onednnKernel(tf.Conv2D, conv2D);
