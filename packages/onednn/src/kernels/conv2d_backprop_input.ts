import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConvBackpropInput } from './conv.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, Conv2DBackpropInputAttrs>;
type Shape4 = [number, number, number, number];

/** Conv2DBackpropInput (a convolution's input gradient, and conv2dTranspose) on oneDNN's backward-data. */
function conv2DBackpropInput(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape as Shape4,
    inputs.filter.shape as Shape4,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    tf.backend_util.convertConv2DDataFormat(attrs.dataFormat),
  );
  return (
    nativeConvBackpropInput(backend, inputs.dy, inputs.filter, info, false) ??
    (cpuKernel(tf.Conv2DBackpropInput)(args as never) as TensorInfo)
  );
}

export const conv2DBackpropInputConfig = onednnKernel(tf.Conv2DBackpropInput, conv2DBackpropInput);
