import type { TensorInfo } from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from 'tfjs-skip';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Args = OnednnKernelArgs<{ x: TensorInfo; scale: TensorInfo; offset: TensorInfo }, { varianceEpsilon: number }>;

/** Shape [rows, channels] of x seen as rows of its last axis, after checking the per-channel inputs. */
export function rowsByChannels(kernel: string, x: TensorInfo, perChannel: Record<string, TensorInfo>): number[] {
  const channels = x.shape.at(-1) ?? 0;
  for (const [name, t] of Object.entries({ x, ...perChannel })) {
    const ok = t === x ? x.shape.length >= 2 : t.shape.length === 1 && t.shape[0] === channels;
    if (!nativeInputs(t) || !ok) {
      throw new TypeError(
        `${kernel}: expected float32 x of rank >= 2 and float32 vectors of its ${channels} channels; ` +
          `'${name}' is ${t.dtype} [${t.shape}].`,
      );
    }
  }
  return [x.shape.reduce((a, b) => a * b, 1) / channels, channels];
}

/** Batch normalization with the batch's statistics, as one oneDNN pass: [y, mean, variance]. */
function batchNormTrain({ backend, inputs, attrs }: Args): TensorInfo[] {
  const { x, scale, offset } = inputs;
  const shape = rowsByChannels(BATCH_NORM_TRAIN, x, { scale, offset });
  const [y, yValues] = output(backend, x.shape);
  const [mean, meanValues] = output(backend, [shape[1]!]);
  const [variance, varianceValues] = output(backend, [shape[1]!]);
  addon().batchNormTrain(
    shape,
    attrs.varianceEpsilon,
    f32(backend, x),
    f32(backend, scale),
    f32(backend, offset),
    yValues,
    meanValues,
    varianceValues,
  );
  return [y, mean, variance];
}

export const batchNormTrainConfig = onednnKernel(BATCH_NORM_TRAIN, batchNormTrain);
