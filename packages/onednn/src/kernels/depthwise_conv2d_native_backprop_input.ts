import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropInput } from './conv.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, DepthwiseConv2dNativeBackpropInputAttrs>;
type Shape4 = [number, number, number, number];

/** DepthwiseConv2dNativeBackpropInput on oneDNN's grouped backward-data. */
function depthwiseBackpropInput(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape as Shape4,
    inputs.filter.shape as Shape4,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  return (
    nativeConvBackpropInput(backend, inputs.dy, inputs.filter, info, true) ??
    (cpuKernel(tf.DepthwiseConv2dNativeBackpropInput)(args as never) as TensorInfo)
  );
}

export const depthwiseConv2dNativeBackpropInputConfig = onednnKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
  depthwiseBackpropInput,
);
