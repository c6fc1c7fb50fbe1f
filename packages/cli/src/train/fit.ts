import * as tf from '@tensorflow/tfjs';
import { batchCount, permutation, toBatch, type Dataset } from 'tfjs-skip-data';
import type { Interrupt } from '../interrupt.js';
import type { Progress } from '../progress.js';
import {
  augmentSeeded,
  type AugmentSpec,
  decayedVariables,
  learningRateAt,
  NO_AUGMENT,
  type ScheduleSpec,
  type StepRecipe,
  trainableVariables,
  trainStep,
  type WeightDecaySpec,
} from 'tfjs-skip-train';
import { killPoint } from './kill_point.js';
import type { EpochRecord, PartialEpoch } from './run_state.js';
import { preciseBatchNorm } from './precise_bn.js';

/**
 * How `fit` trains beyond the optimizer: all of it seeded by (seed, epoch, step),
 * so a resumed run repeats it exactly.
 */
export interface FitRecipe {
  /** The learning rate of every step; absent: the optimizer's own, unchanged. */
  readonly schedule?: ScheduleSpec;
  readonly augment?: AugmentSpec;
  readonly labelSmoothing?: number;
  readonly weightDecay?: WeightDecaySpec;
}

/** Options of `fit`. */
export interface FitOptions {
  /** The model to train: logits out (each step is `tfjs-skip-train`'s `trainStep`). */
  readonly model: tf.LayersModel;
  readonly optimizer: tf.Optimizer;
  readonly train: Dataset;
  readonly batchSize: number;
  /** Epoch `e` visits the examples in the order `permutation(count, seed + e)`. */
  readonly seed: number;
  /** Total epochs of the run, counting those already in `history`. */
  readonly epochs: number;
  /** Epochs already done (a resumed run); not modified. */
  readonly history: readonly EpochRecord[];
  /** Where an interrupted epoch stopped, to pick it up at its next step. */
  readonly partial?: PartialEpoch;
  readonly progress: Progress;
  /** Shown before the bar, e.g. the model name. */
  readonly label: string;
  readonly interrupt?: Interrupt;
  /** Called after each epoch with the history so far: the place to checkpoint. */
  readonly onEpochEnd?: (history: EpochRecord[]) => Promise<void>;
  /** Called after every step with its number (over the whole run, from 0) and the batch's loss and accuracy. */
  readonly onStep?: (step: number, loss: number, accuracy: number) => void;
  /** Sees the gradients of every `every`-th step (counted over the whole run, from 0). */
  readonly inspect?: { readonly every: number; onGrads(step: number, grads: tf.NamedTensorMap): void };
  readonly recipe?: FitRecipe;
}

/** How a `fit` ended: all epochs done, or interrupted with the place to resume. */
export interface FitResult {
  readonly history: EpochRecord[];
  readonly interrupted?: PartialEpoch;
}

/**
 * Trains epoch by epoch with seeded shuffling, a step at a time, yielding to
 * the event loop between steps so Ctrl-C is seen; on an interrupt it stops
 * after the current step and returns where it stopped. After each epoch the
 * BatchNorm statistics are recomputed for the current weights
 * (`preciseBatchNorm`), so the model is ready for inference at every checkpoint.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, optimizer, train, batchSize, progress } = options;
  const history = [...options.history];
  const steps = batchCount(train, batchSize);
  const recipe = options.recipe ?? {};
  const augment = recipe.augment ?? NO_AUGMENT;
  const decay =
    recipe.weightDecay && recipe.weightDecay.rate > 0
      ? {
          variables: decayedVariables(trainableVariables(model), recipe.weightDecay),
          rate: recipe.weightDecay.rate,
          mode: recipe.weightDecay.mode,
        }
      : undefined;
  let learningRate = recipe.schedule ? learningRateAt(recipe.schedule, history.length * steps) : NaN;
  for (let epoch = history.length + 1; epoch <= options.epochs; epoch++) {
    const resumed = options.partial?.epoch === epoch ? options.partial : undefined;
    let { step, lossSum, correct, seen, seconds } = resumed ?? { step: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
    const order = permutation(train.count, options.seed + epoch);
    const started = performance.now() - seconds * 1000;
    progress.start(`${options.label} epoch ${epoch}/${options.epochs}`, steps, step);
    while (step < steps) {
      const { xs, ys } = augmentedBatch(
        train,
        order.subarray(step * batchSize, Math.min((step + 1) * batchSize, train.count)),
        augment,
        options.seed,
        epoch,
        step,
      );
      const globalStep = (epoch - 1) * steps + step;
      const inspect =
        options.inspect && globalStep % options.inspect.every === 0
          ? options.inspect.onGrads.bind(null, globalStep)
          : undefined;
      if (recipe.schedule) learningRate = learningRateAt(recipe.schedule, globalStep);
      const stepRecipe: StepRecipe = {
        ...(recipe.schedule && { learningRate }),
        labelSmoothing: recipe.labelSmoothing ?? 0,
        ...(decay && { decay }),
      };
      const result = trainStep(model, optimizer, xs, ys, inspect, stepRecipe);
      killPoint(`step:${globalStep}`);
      options.onStep?.(globalStep, result.loss, result.correct / ys.shape[0]);
      lossSum += result.loss * ys.shape[0];
      correct += result.correct;
      seen += ys.shape[0];
      tf.dispose([xs, ys]);
      step++;
      seconds = (performance.now() - started) / 1000;
      progress.update(step, {
        loss: lossSum / seen,
        accuracy: correct / seen,
        learningRate,
        speed: (seen - (resumed?.seen ?? 0)) / Math.max(seconds - (resumed?.seconds ?? 0), 1e-9),
      });
      await new Promise((resolve) => setImmediate(resolve));
      if (options.interrupt?.requested && step < steps) {
        progress.stop();
        return { history, interrupted: { epoch, step, lossSum, correct, seen, seconds } };
      }
    }
    progress.stop();
    preciseBatchNorm(model, train, options.seed + epoch);
    const record = {
      epoch,
      loss: lossSum / seen,
      accuracy: correct / seen,
      seconds,
      ...(recipe.schedule && { learningRate }),
    };
    history.push(record);
    const rate = recipe.schedule ? `, lr ${formatRate(learningRate)}` : '';
    progress.log(
      `${options.label} epoch ${epoch}/${options.epochs}: loss ${record.loss.toFixed(4)}, ` +
        `accuracy ${record.accuracy.toFixed(4)}${rate}, ${seconds.toFixed(1)} s (${(seen / seconds).toFixed(0)} img/s)`,
    );
    await options.onEpochEnd?.(history);
    if (options.interrupt?.requested && epoch < options.epochs) return { history };
  }
  return { history };
}

/** A batch, augmented when `augment` asks for it with the generator of (seed, epoch, step). */
function augmentedBatch(
  train: Dataset,
  indices: Uint32Array,
  augment: AugmentSpec,
  seed: number,
  epoch: number,
  step: number,
): { xs: tf.Tensor4D; ys: tf.Tensor1D } {
  const batch = toBatch(train, indices);
  if (augment.crop === 0 && !augment.flip) return batch;
  const pixels = batch.xs.dataSync().slice() as Float32Array;
  const shape = batch.xs.shape;
  augmentSeeded(pixels, shape, augment, seed, epoch, step);
  batch.xs.dispose();
  return { xs: tf.tensor4d(pixels, shape, 'float32'), ys: batch.ys };
}

/** A learning rate in four significant digits (0.1, 0.001, 2.5e-5). */
export function formatRate(rate: number): string {
  return rate >= 1e-3 ? String(+rate.toPrecision(4)) : rate.toExponential(3).replace(/\.?0+e/, 'e');
}
