import * as tf from '@tensorflow/tfjs';
import type { _FusedMatMulAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, onednnKernel } from '../backend.js';
import { nativeMatMul } from './matmul.js';

type Inputs = { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
type Args = OnednnKernelArgs<Inputs, _FusedMatMulAttrs>;

/** _FusedMatMul: bias and activation as oneDNN post-ops of the product; prelu on the cpu kernel. */
function fusedMatMul(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const y =
    inputs.preluActivationWeights === undefined
      ? nativeMatMul(backend, { a: inputs.a, b: inputs.b, bias: inputs.bias, ...attrs })
      : null;
  return y ?? (cpuKernel(tf._FusedMatMul)(args as never) as TensorInfo);
}

export const fusedMatMulConfig = onednnKernel(tf._FusedMatMul, fusedMatMul);
