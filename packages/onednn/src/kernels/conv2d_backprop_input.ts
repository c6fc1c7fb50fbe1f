import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropInput } from './conv.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, Conv2DBackpropInputAttrs>;

/** Conv2DBackpropInput (a convolution's input gradient, and conv2dTranspose) on oneDNN's backward-data. */
function conv2DBackpropInput(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConvBackpropInput(backend, inputs.dy, inputs.filter, attrs, false) ??
    (cpuKernel(tf.Conv2DBackpropInput)(args as never) as TensorInfo)
  );
}

export const conv2DBackpropInputConfig = onednnKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
