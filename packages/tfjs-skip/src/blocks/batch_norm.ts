import * as tf from '@tensorflow/tfjs';
import {
  offTape,
  stockBatchNormalization,
  variableOf,
  writeWeight,
  type BatchNormalizationArgs,
} from 'tfjs-skip-internals';
import { BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD, MOVING_AVERAGES } from '../kernel_names.js';

/**
 * tfjs-layers' class, as it registered itself for deserialization; its
 * fields (private there) are typed by tfjs-skip-internals, which checks them.
 */
const Stock = stockBatchNormalization();

/** {@link batchNormTraining} before `tf.op` names it. */
function batchNormTraining_(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
): {
  /** The normalized, scaled and shifted batch. */
  y: tf.Tensor;
  /** The batch mean of each channel. */
  mean: tf.Tensor1D;
  /** The batch (biased) variance of each channel. */
  variance: tf.Tensor1D;
} {
  const axes = [...Array(x.rank - 1).keys()];
  let stats: { mean: tf.Tensor1D; variance: tf.Tensor1D } | undefined;
  const op = tf.customGrad((xx, g, b, save) => {
    const { value, mean, variance } = batchNormTrainingForward(
      xx as tf.Tensor,
      g as tf.Tensor1D,
      b as tf.Tensor1D,
      epsilon,
      axes,
    );
    stats = { mean: tf.keep(mean), variance: tf.keep(variance) };
    (save as tf.GradSaveFunc)([xx as tf.Tensor, mean, variance, g as tf.Tensor]);
    return { value, gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => batchNormTrainingGrad(dy, saved, epsilon, axes) };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, ...stats! };
}

/** y, mean and variance: one {@link BATCH_NORM_TRAIN} kernel where the backend has it, else moments then batchNorm. */
export function batchNormTrainingForward(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  axes: number[],
): { value: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  if (tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) !== undefined) {
    const inputs = { x, scale: gamma, offset: beta };
    const [value, mean, variance] = tf.engine().runKernel(BATCH_NORM_TRAIN, inputs, {
      varianceEpsilon: epsilon,
    }) as [tf.Tensor, tf.Tensor1D, tf.Tensor1D];
    return { value, mean, variance };
  }
  const { mean, variance } = tf.moments(x, axes) as { mean: tf.Tensor1D; variance: tf.Tensor1D };
  return { value: tf.batchNorm(x, mean, variance, beta, gamma, epsilon), mean, variance };
}

/**
 * Batch normalization over every axis but the last on the batch's own
 * statistics (training mode), as one op with its own gradient: y, and the
 * batch mean and (biased) variance, the caller's to dispose. Forward it is
 * `tf.moments` then `tf.batchNorm`, the very ops tfjs-layers runs; backward
 * it is the closed-form gradient through the statistics (two passes over the
 * activations on a backend with the `BATCH_NORM_TRAIN_GRAD` kernel,
 * which tfjs-wasm-train registers for wasm; a handful of ops elsewhere) where
 * tfjs-core differentiates moments and batchNorm op by op (about twenty
 * passes). A named op: its gradient shows as `batchNormTraining__op` in
 * profiles and on the tape, as tfjs-core's ops do.
 */
export const batchNormTraining = tf.op({ batchNormTraining_ });

/** [dx, dgamma, dbeta] of {@link batchNormTraining}, saved = [x, mean, variance, gamma]. */
export function batchNormTrainingGrad(dy: tf.Tensor, saved: tf.Tensor[], epsilon: number, axes: number[]): tf.Tensor[] {
  const [x, mean, variance, gamma] = saved as [tf.Tensor, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
  if (tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) !== undefined) {
    const inputs = { dy, x, mean, variance, scale: gamma };
    return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, inputs, { varianceEpsilon: epsilon }) as tf.Tensor[];
  }
  return tf.tidy(() => {
    // With r = 1 / sqrt(variance + epsilon) and N values per channel:
    // dx = gamma r (dy - sum(dy) / N - (x - mean) r^2 sum(dy (x - mean)) / N).
    const n = x.size / mean.size;
    const r = tf.rsqrt(tf.add(variance, epsilon));
    const xmu = tf.sub(x, mean);
    const sumDy = tf.sum(dy, axes);
    const sumDyXmu = tf.sum(tf.mul(dy, xmu), axes);
    const centred = tf.sub(tf.sub(dy, tf.div(sumDy, n)), tf.mul(xmu, tf.div(tf.mul(tf.square(r), sumDyXmu), n)));
    return [tf.mul(centred, tf.mul(gamma, r)), tf.mul(r, sumDyXmu), sumDy];
  });
}

/**
 * tfjs-layers' BatchNormalization, the same layer to every caller (class
 * name, config, weights, inference, moving statistics), training through
 * {@link batchNormTraining} when it normalizes over the last axis with both
 * gamma and beta, the layer's usual form. It takes tfjs-layers' place for
 * deserialization too, so a model trains the same way whether it was built
 * or loaded (a resumed run repeats an uninterrupted one bit for bit).
 *
 * Why it is in the layer library and not in tfjs-skip-train: it is the
 * layer the blocks and the zoo build (`batchNormalization` below), and the
 * one `tf.loadLayersModel` makes once `tfjs-skip` is imported. Were the
 * override registered by the training package instead, a model built
 * before that package was imported, or loaded in a program that never
 * imports it, would hold tfjs-layers' class, and the same model would
 * train through two different gradients (and differ in the last bits)
 * depending on the order of a program's imports. Its forward pass, config
 * and weights are tfjs-layers' own, so inference is unchanged by it.
 */
export class BatchNormalization extends Stock {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'BatchNormalization';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const { gamma, beta } = this;
    const lastAxis = x !== undefined && (this.axis === -1 || this.axis === x.rank - 1);
    if (kwargs.training !== true || !lastAxis || x.dtype !== 'float32') {
      return super.call(inputs, kwargs);
    }
    return tf.tidy(() => {
      // scale=false / center=false (InceptionV3's, InceptionResNetV2's): gamma 1 / beta 0 (tfjs-layers' own
      // training path reads the missing gamma and throws).
      const channels: [number] = [x.shape[x.rank - 1]];
      const { y, mean, variance } = batchNormTraining(
        x,
        (gamma === undefined ? tf.ones(channels) : variableOf(gamma)) as tf.Tensor1D,
        (beta === undefined ? tf.zeros(channels) : variableOf(beta)) as tf.Tensor1D,
        this.epsilon,
      );
      this.updateMovingStatistics(mean, variance);
      tf.dispose([mean, variance]);
      return y;
    });
  }

  /**
   * Moves the moving mean and variance toward a training batch's statistics,
   * as tfjs-layers updates them (`call` in training, and `convBatchNorm`'s
   * runs, which normalize for this layer): one {@link MOVING_AVERAGES}
   * kernel where the backend registers it, else three ops a statistic. Off
   * the gradient tape: no gradient flows through a moving average, and
   * taped, each op would be recorded with copies of its inputs for nothing.
   */
  updateMovingStatistics(mean: tf.Tensor1D, variance: tf.Tensor1D): void {
    const decay = 1 - this.momentum;
    offTape(() =>
      tf.tidy(() => {
        const [movingMean, movingVariance] = [variableOf(this.movingMean), variableOf(this.movingVariance)];
        const [newMean, newVariance] =
          tf.getKernel(MOVING_AVERAGES, tf.getBackend()) !== undefined
            ? (tf
                .engine()
                .runKernel(MOVING_AVERAGES, { movingMean, movingVariance, mean, variance }, { decay }) as tf.Tensor[])
            : [movingMean, movingVariance].map((current, i) =>
                tf.sub(current, tf.mul(tf.sub(current, i === 0 ? mean : variance), decay)),
              );
        writeWeight(this.movingMean, newMean!);
        writeWeight(this.movingVariance, newVariance!);
      }),
    );
  }
}
tf.serialization.registerClass(BatchNormalization);

/** A {@link BatchNormalization} layer: `tf.layers.batchNormalization`'s arguments. */
export function batchNormalization(args: BatchNormalizationArgs = {}): tf.layers.Layer {
  return new BatchNormalization(args);
}
