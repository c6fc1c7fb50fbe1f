import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConv } from './conv.js';

type Args = OnednnKernelArgs<{ x: TensorInfo; filter: TensorInfo }, DepthwiseConv2dNativeAttrs>;

/** DepthwiseConv2dNative as a grouped convolution (one group per input channel) on oneDNN. */
function depthwiseConv2dNative(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativeConv(backend, { ...inputs, ...attrs, depthwise: true }) ??
    (cpuKernel(tf.DepthwiseConv2dNative)(args as never) as TensorInfo)
  );
}

export const depthwiseConv2dNativeConfig = onednnKernel(tf.DepthwiseConv2dNative, depthwiseConv2dNative);
