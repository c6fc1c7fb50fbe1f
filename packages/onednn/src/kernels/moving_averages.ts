import type { TensorInfo } from '@tensorflow/tfjs';
import { MOVING_AVERAGES } from 'tfjs-skip/kernel-names';
import { type OnednnKernelArgs, f32, nativeInputs, onednnKernel, output } from '../backend.js';
import { addon } from '../native.js';

type Args = OnednnKernelArgs<
  { movingMean: TensorInfo; movingVariance: TensorInfo; mean: TensorInfo; variance: TensorInfo },
  { decay: number }
>;

/** [movingMean', movingVariance'] of a batch norm layer's training update, in one native call. */
function movingAverages({ backend, inputs, attrs }: Args): TensorInfo[] {
  const channels = inputs.movingMean.shape[0] ?? 0;
  for (const [name, t] of Object.entries(inputs)) {
    if (!nativeInputs(t) || t.shape.length !== 1 || t.shape[0] !== channels) {
      throw new TypeError(
        `${MOVING_AVERAGES}: expected four float32 vectors of the ${channels} channels; ` +
          `'${name}' is ${t.dtype} [${t.shape}].`,
      );
    }
  }
  const [newMean, meanValues] = output(backend, [channels]);
  const [newVariance, varianceValues] = output(backend, [channels]);
  const { movingMean, movingVariance, mean, variance } = inputs;
  addon().movingAverages(
    channels,
    attrs.decay,
    f32(backend, movingMean),
    f32(backend, movingVariance),
    f32(backend, mean),
    f32(backend, variance),
    meanValues,
    varianceValues,
  );
  return [newMean, newVariance];
}

export const movingAveragesConfig = onednnKernel(MOVING_AVERAGES, movingAverages);
