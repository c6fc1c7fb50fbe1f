import * as tf from '@tensorflow/tfjs';
import type { AvgPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativePoolGrad } from './pool.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; input: TensorInfo }, AvgPoolGradAttrs>;

function avgPoolGrad(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return (
    nativePoolGrad(backend, 'avg', inputs.input, inputs.dy, attrs) ??
    (cpuKernel(tf.AvgPoolGrad)(args as never) as TensorInfo)
  );
}

/** AvgPoolGrad on oneDNN's pooling backward. */
export const avgPoolGradConfig = onednnKernel(tf.AvgPoolGrad, avgPoolGrad);
