import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropInput } from './conv.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, DepthwiseConv2dNativeBackpropInputAttrs>;

/** DepthwiseConv2dNativeBackpropInput on oneDNN's grouped backward-data. */
function depthwiseBackpropInput(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConvBackpropInput(backend, inputs.dy, inputs.filter, attrs, true) ??
    (cpuKernel(tf.DepthwiseConv2dNativeBackpropInput)(args as never) as TensorInfo)
  );
}

export const depthwiseConv2dNativeBackpropInputConfig = onednnKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
  depthwiseBackpropInput,
);
