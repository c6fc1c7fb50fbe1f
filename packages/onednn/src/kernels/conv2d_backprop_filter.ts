import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropFilter } from './conv.js';

type Args = OnednnKernelArgs<{ x: TensorInfo; dy: TensorInfo }, Conv2DBackpropFilterAttrs>;

/** Conv2DBackpropFilter (a convolution's filter gradient) on oneDNN's backward-weights. */
function conv2DBackpropFilter(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConvBackpropFilter(backend, inputs.x, inputs.dy, attrs, false) ??
    (cpuKernel(tf.Conv2DBackpropFilter)(args as never) as TensorInfo)
  );
}

export const conv2DBackpropFilterConfig = onednnKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
