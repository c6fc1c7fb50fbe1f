import * as tf from '@tensorflow/tfjs';
import type { BatchMatMulAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeMatMul } from './matmul.js';

type Args = OnednnKernelArgs<{ a: TensorInfo; b: TensorInfo }, BatchMatMulAttrs>;

/** BatchMatMul (every `tf.matMul` and dense layer) on oneDNN's matmul. */
function batchMatMul(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  return nativeMatMul(backend, { ...inputs, ...attrs }) ?? (cpuKernel(tf.BatchMatMul)(args as never) as TensorInfo);
}

export const batchMatMulConfig = onednnKernel(tf.BatchMatMul, batchMatMul);
