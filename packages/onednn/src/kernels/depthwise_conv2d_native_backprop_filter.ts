import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropFilter } from './conv.js';

type Args = OnednnKernelArgs<{ x: TensorInfo; dy: TensorInfo }, DepthwiseConv2dNativeBackpropFilterAttrs>;

/** DepthwiseConv2dNativeBackpropFilter on oneDNN's grouped backward-weights. */
function depthwiseBackpropFilter(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConvBackpropFilter(backend, inputs.x, inputs.dy, attrs, true) ??
    (cpuKernel(tf.DepthwiseConv2dNativeBackpropFilter)(args as never) as TensorInfo)
  );
}

export const depthwiseConv2dNativeBackpropFilterConfig = onednnKernel(
  tf.DepthwiseConv2dNativeBackpropFilter,
  depthwiseBackpropFilter,
);
