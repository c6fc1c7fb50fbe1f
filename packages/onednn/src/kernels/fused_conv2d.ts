import * as tf from '@tensorflow/tfjs';
import type { FusedConv2DAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeConv } from './conv.js';

type Inputs = { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
type Args = OnednnKernelArgs<Inputs, FusedConv2DAttrs>;

/** FusedConv2D: bias and activation as oneDNN post-ops in the one convolution; prelu on the cpu kernel. */
function fusedConv2D(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const y =
    inputs.preluActivationWeights === undefined
      ? nativeConv(backend, { x: inputs.x, filter: inputs.filter, bias: inputs.bias, ...attrs, depthwise: false })
      : null;
  return y ?? (cpuKernel(tf.FusedConv2D)(args as never) as TensorInfo);
}

export const fusedConv2DConfig = onednnKernel(tf.FusedConv2D, fusedConv2D);
