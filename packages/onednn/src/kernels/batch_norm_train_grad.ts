import type { TensorInfo } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN_GRAD } from 'tfjs-skip';
import { type OnednnKernelArgs, f32, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';
import { rowsByChannels } from './batch_norm_train.js';

type Inputs = { dy: TensorInfo; x: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale: TensorInfo };
type Args = OnednnKernelArgs<Inputs, { varianceEpsilon: number }>;

/** [dx, dscale, doffset] of batch normalization through the batch statistics, on oneDNN's backward pass. */
function batchNormTrainGrad({ backend, inputs, attrs }: Args): TensorInfo[] {
  const { dy, x, mean, variance, scale } = inputs;
  const shape = rowsByChannels(BATCH_NORM_TRAIN_GRAD, x, { mean, variance, scale });
  if (dy.dtype !== 'float32' || dy.shape.join() !== x.shape.join()) {
    throw new TypeError(
      `${BATCH_NORM_TRAIN_GRAD}: dy must be float32 of x's shape [${x.shape}]; received ${dy.dtype} [${dy.shape}].`,
    );
  }
  const [dx, dxValues] = output(backend, x.shape);
  const [dscale, dscaleValues] = output(backend, [shape[1]!]);
  const [doffset, doffsetValues] = output(backend, [shape[1]!]);
  addon().batchNormTrainGrad(
    shape,
    attrs.varianceEpsilon,
    f32(backend, dy),
    f32(backend, x),
    f32(backend, mean),
    f32(backend, variance),
    f32(backend, scale),
    dxValues,
    dscaleValues,
    doffsetValues,
  );
  return [dx, dscale, doffset];
}

export const batchNormTrainGradConfig = onednnKernel(BATCH_NORM_TRAIN_GRAD, batchNormTrainGrad);
