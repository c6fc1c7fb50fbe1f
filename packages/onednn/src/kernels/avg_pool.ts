import * as tf from '@tensorflow/tfjs';
import type { AvgPoolAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativePool } from './pool.js';

type Args = OnednnKernelArgs<{ x: TensorInfo }, AvgPoolAttrs>;

function avgPool(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return nativePool(backend, 'avg', inputs.x, attrs) ?? (cpuKernel(tf.AvgPool)(args as never) as TensorInfo);
}

/** AvgPool on oneDNN's pooling (the window's valid cells only, as TF's 'same' padding averages). */
export const avgPoolConfig = onednnKernel(tf.AvgPool, avgPool);
