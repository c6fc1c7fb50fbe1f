import * as tf from '@tensorflow/tfjs';
import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativePoolGrad } from './pool.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; input: TensorInfo; output: TensorInfo }, MaxPoolGradAttrs>;

function maxPoolGrad(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativePoolGrad(backend, 'max', inputs.input, inputs.dy, attrs) ??
    (cpuKernel(tf.MaxPoolGrad)(args as never) as TensorInfo)
  );
}

/** MaxPoolGrad on oneDNN: the gradient goes to each window's maximum, found again from the input. */
export const maxPoolGradConfig = onednnKernel(tf.MaxPoolGrad, maxPoolGrad);
