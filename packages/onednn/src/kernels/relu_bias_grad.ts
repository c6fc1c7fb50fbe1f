import type { TensorInfo } from '@tensorflow/tfjs';
import { RELU_BIAS_GRAD } from 'tfjs-skip/kernel-names';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Args = OnednnKernelArgs<{ dy: TensorInfo; y: TensorInfo }>;

/** `[dz, dbias]` of `y = relu(z + bias)` in one native pass (tfjs-skip's `RELU_BIAS_GRAD`). */
function reluBiasGrad({ backend, inputs }: Args): TensorInfo[] {
  const { dy, y } = inputs;
  if (!nativeInputs(dy, y) || dy.shape.join() !== y.shape.join()) {
    throw new TypeError(
      `${RELU_BIAS_GRAD}: dy and y must be float32 of one non-empty shape; received dy ${dy.dtype} [${dy.shape}], ` +
        `y ${y.dtype} [${y.shape}].`,
    );
  }
  const channels = y.shape[y.shape.length - 1]!;
  const [dz, dzValues] = output(backend, y.shape);
  const [dbias, dbiasValues] = output(backend, [channels]);
  addon().reluBiasGrad(dzValues.length / channels, channels, f32(backend, y), f32(backend, dy), dzValues, dbiasValues);
  return [dz, dbias];
}

export const reluBiasGradConfig = onednnKernel(RELU_BIAS_GRAD, reluBiasGrad);
