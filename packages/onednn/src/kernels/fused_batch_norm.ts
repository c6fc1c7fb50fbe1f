import * as tf from '@tensorflow/tfjs';
import type { FusedBatchNormAttrs, TensorInfo } from '@tensorflow/tfjs';
import { type OnednnKernelArgs, cpuKernel, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Inputs = { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };
type Args = OnednnKernelArgs<Inputs, FusedBatchNormAttrs>;

/** FusedBatchNorm (batch norm with given statistics, as at inference) over the last axis on oneDNN. */
function fusedBatchNorm(args: Args): TensorInfo {
  const { backend, inputs, attrs } = args;
  const { x, mean, variance, offset, scale } = inputs;
  const channels = x.shape.at(-1) ?? 0;
  const perChannel = [mean, variance, offset, scale].filter((t): t is TensorInfo => t !== undefined);
  const native =
    x.shape.length >= 2 && nativeInputs(x, ...perChannel) && perChannel.every((t) => t.shape.join() === `${channels}`);
  if (!native) return cpuKernel(tf.FusedBatchNorm)(args as never) as TensorInfo;
  const [y, values] = output(backend, x.shape);
  addon().batchNormInference(
    [tf.util.sizeFromShape(x.shape) / channels, channels],
    attrs.varianceEpsilon,
    f32(backend, x),
    f32(backend, mean),
    f32(backend, variance),
    scale === undefined ? null : f32(backend, scale),
    offset === undefined ? null : f32(backend, offset),
    values,
  );
  return y;
}

export const fusedBatchNormConfig = onednnKernel(tf.FusedBatchNorm, fusedBatchNorm);
