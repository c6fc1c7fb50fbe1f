import * as tf from '@tensorflow/tfjs';
import type { FusedDepthwiseConv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConv } from './conv.js';

type Inputs = { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
type Args = OnednnKernelArgs<Inputs, FusedDepthwiseConv2DAttrs>;

/** FusedDepthwiseConv2D: the grouped convolution with bias and activation as post-ops; prelu on the cpu kernel. */
function fusedDepthwiseConv2D(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const y =
    inputs.preluActivationWeights === undefined
      ? nativeConv(backend, { x: inputs.x, filter: inputs.filter, bias: inputs.bias, ...attrs, depthwise: true })
      : null;
  return y ?? (cpuKernel(tf.FusedDepthwiseConv2D)(args as never) as TensorInfo);
}

export const fusedDepthwiseConv2DConfig = onednnKernel(tf.FusedDepthwiseConv2D, fusedDepthwiseConv2D);
