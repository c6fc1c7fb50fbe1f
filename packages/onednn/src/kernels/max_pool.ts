import * as tf from '@tensorflow/tfjs';
import type { MaxPoolAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativePool } from './pool.js';

type Args = OnednnKernelArgs<{ x: TensorInfo }, MaxPoolAttrs>;

function maxPool(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return nativePool(backend, 'max', inputs.x, attrs) ?? (cpuKernel(tf.MaxPool)(args as never) as TensorInfo);
}

/** MaxPool on oneDNN's pooling. */
export const maxPoolConfig = onednnKernel(tf.MaxPool, maxPool);
