import * as tf from '@tensorflow/tfjs';
import { batchCount, permutation, toBatch, type Dataset } from 'tfjs-skip-data';
import { preciseBatchNorm } from './precise_bn.js';
import { augmentSeeded, type AugmentSpec } from './recipes/augment.js';
import { makeOptimizer } from './recipes/optimizer.js';
import { scheduleOf, weightDecayOf, type Recipe } from './recipes/recipe.js';
import { learningRateAt } from './recipes/schedule.js';
import { decayedVariables } from './recipes/weight_decay.js';
import { trainableVariables, trainStepAsync, type StepRecipe } from './step.js';

/** One finished epoch of a training run. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  /** Mean training loss over the epoch's steps. */
  readonly loss: number;
  /** Training accuracy over the epoch's steps. */
  readonly accuracy: number;
  /** Wall-clock seconds the epoch took. */
  readonly seconds: number;
  /** The learning rate of the epoch's last step. */
  readonly learningRate?: number;
}

/** An epoch cut short by an interruption: where to pick it up. */
export interface PartialEpoch {
  /** The epoch (1-based). */
  readonly epoch: number;
  /** Steps of the epoch already done. */
  readonly step: number;
  /** Sum over the examples seen of their loss. */
  readonly lossSum: number;
  /** Examples seen that were predicted right. */
  readonly correct: number;
  /** Examples of the epoch seen so far. */
  readonly seen: number;
  /** Wall-clock seconds of the epoch so far. */
  readonly seconds: number;
}

/**
 * Where a run stands: the epochs done and, when it was interrupted inside an
 * epoch, where that epoch stopped. Plain JSON, so it can be stored beside the
 * weights; with the same model weights and optimizer state, {@link fit}
 * resumed from it takes exactly the steps an uninterrupted run would.
 */
export interface FitState {
  /** The epochs done, in order. */
  readonly history: readonly EpochRecord[];
  /** Where an epoch cut short stopped; absent when the run stands at an epoch's end. */
  readonly partial?: PartialEpoch;
}

/** What {@link FitHooks.onEpochStart} is told. */
export interface EpochStart {
  /** 1-based. */
  readonly epoch: number;
  /** Epochs of the run. */
  readonly epochs: number;
  /** Steps of every epoch. */
  readonly steps: number;
  /** Steps of this epoch already done (0, or where a resumed epoch picks up). */
  readonly step: number;
}

/** What {@link FitHooks.onStep} is told after each step. */
export interface StepProgress {
  /** The epoch (1-based). */
  readonly epoch: number;
  /** Epochs of the run. */
  readonly epochs: number;
  /** Steps of this epoch done, this one included. */
  readonly step: number;
  /** Steps of every epoch. */
  readonly steps: number;
  /** The step just taken, counted from 0 over the whole run. */
  readonly globalStep: number;
  /** The batch's loss, before the update. */
  readonly loss: number;
  /** The batch's accuracy, before the update. */
  readonly accuracy: number;
  /** Mean loss over the epoch's steps so far. */
  readonly epochLoss: number;
  /** Accuracy over the epoch's steps so far. */
  readonly epochAccuracy: number;
  /** The rate this step trained at (from the recipe's schedule). */
  readonly learningRate: number;
  /** Training images per second since this call of `fit` started the epoch. */
  readonly imagesPerSecond: number;
}

/** What {@link FitHooks.onEpochEnd} is told after each epoch (its BatchNorm statistics made precise). */
export interface EpochEnd {
  /** The epoch's loss, accuracy, time and last learning rate. */
  readonly record: EpochRecord;
  /** Every epoch done so far, this one last. */
  readonly history: readonly EpochRecord[];
  /** Epochs of the run. */
  readonly epochs: number;
  /** Training images the epoch saw. */
  readonly images: number;
}

/**
 * How a caller follows and steers {@link fit}. All optional; none of them may
 * change the model or the optimizer.
 */
export interface FitHooks {
  /** Before the first step of each epoch (also of a resumed one). */
  onEpochStart?(start: EpochStart): void;
  /**
   * After every step. Awaited: a page may wait there for a frame to draw, or
   * read something back (test accuracy) before the next step changes the weights.
   */
  onStep?(progress: StepProgress): void | Promise<void>;
  /** After each epoch, with the BatchNorm statistics recomputed. Awaited. */
  onEpochEnd?(end: EpochEnd): void | Promise<void>;
  /**
   * Where to save the run: called after each epoch's `onEpochEnd`, and once
   * more when an interrupt stops the run inside an epoch (with `partial`
   * set). Awaited: the run goes on once the state is safe.
   */
  checkpoint?(state: FitState): void | Promise<void>;
  /**
   * Asked after every step (once the event loop has had its turn, so a
   * signal or a click is seen within one step): true stops the run there.
   */
  interrupted?(): boolean;
  /** Sees the gradients of every `every`-th step (counted over the whole run, from 0) before they are applied. */
  readonly inspect?: {
    /** Every how many steps. */
    readonly every: number;
    /** Must not keep `grads` (it may `tf.keep` what it computes from them). */
    onGrads(globalStep: number, grads: tf.NamedTensorMap): void;
  };
}

/** The run {@link fit} trains, and how it follows it. */
export interface FitOptions extends FitHooks {
  /**
   * Epochs of the run, counting those already done in `resume`. May be
   * fractional: the run then ends after `round(epochs * steps per epoch)`
   * steps, inside its last epoch (which ends there like a whole one: precise
   * BatchNorm, `onEpochEnd`, `checkpoint`), and the schedule spans exactly
   * those steps (the playground's runs of N steps).
   */
  readonly epochs: number;
  /** Epoch `e` visits the examples in the order `permutation(count, seed + e)`; augmentation is seeded by it too. */
  readonly seed: number;
  /**
   * The optimizer, with its state (a resumed run's, restored from its
   * checkpoint). Absent: `makeOptimizer(recipe)`, handed back in the result.
   */
  readonly optimizer?: tf.Optimizer;
  /** Where an earlier run stopped (a `FitResult` or a stored `FitState`); absent: from the first step. */
  readonly resume?: FitState;
  /** Recompute the BatchNorm statistics after each epoch ({@link preciseBatchNorm}); default true. */
  readonly preciseBatchNorm?: boolean;
}

/** How a {@link fit} ended: all epochs done, or interrupted with the state to resume from. */
export interface FitResult extends FitState {
  /** Every epoch done, those of `resume` included. */
  readonly history: EpochRecord[];
  /** Where an interrupt stopped the run inside an epoch; absent when it finished or stopped at an epoch's end. */
  readonly partial?: PartialEpoch;
  /** All `epochs` done; false when an interrupt stopped the run. */
  readonly finished: boolean;
  /** The optimizer that trained (to pass back with `resume`). */
  readonly optimizer: tf.Optimizer;
}

/**
 * Trains `model` (logits out) on `data` under `recipe`, epoch by epoch: each
 * epoch a seeded permutation of the examples, batches of `recipe.batchSize`,
 * augmented by `recipe.augment` with the generator of (seed, epoch, step), each
 * step {@link trainStepAsync} at the rate of `recipe`'s schedule, with its
 * label smoothing and weight decay. After each epoch the BatchNorm statistics
 * are recomputed for the current weights ({@link preciseBatchNorm}), so the
 * model is ready for inference at every checkpoint. Between steps it yields to
 * the event loop and asks `interrupted`; on true it stops after that step,
 * checkpoints, and returns the state to resume from, which continues the run
 * bit for bit (given the same weights and optimizer state).
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { syntheticDataset } from 'tfjs-skip-data';
 * import { fit, resolveRecipe } from 'tfjs-skip-train';
 * const data = syntheticDataset({ count: 32, height: 4, width: 4, classes: 2 });
 * const model = tf.sequential({
 *   layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 2 })],
 * });
 * const recipe = resolveRecipe('adam', { learningRate: 0.01, batchSize: 8 }, {}, { epochs: 2, imageWidth: 4 });
 * const result = await fit(model, data, recipe, { epochs: 2, seed: 1 });
 * result.history.length; // => 2
 * ```
 */
export async function fit(
  model: tf.LayersModel,
  data: Dataset,
  recipe: Recipe,
  options: FitOptions,
): Promise<FitResult> {
  const optimizer = options.optimizer ?? makeOptimizer(recipe);
  const { batchSize, augment } = recipe;
  const history = [...(options.resume?.history ?? [])];
  const steps = batchCount(data, batchSize);
  const schedule = scheduleOf(recipe, options.epochs, steps);
  const weightDecay = weightDecayOf(recipe);
  const stepRecipe: StepRecipe = {
    labelSmoothing: recipe.labelSmoothing,
    ...(weightDecay.rate > 0 && {
      decay: {
        variables: decayedVariables(trainableVariables(model), weightDecay),
        rate: weightDecay.rate,
        mode: weightDecay.mode,
      },
    }),
  };
  // The run's steps: a fractional `epochs` ends inside its last epoch.
  const runSteps = Math.round(options.epochs * steps);
  let learningRate = learningRateAt(schedule, history.length * steps);
  for (let epoch = history.length + 1; (epoch - 1) * steps < runSteps; epoch++) {
    const epochSteps = Math.min(steps, runSteps - (epoch - 1) * steps);
    const resumed = options.resume?.partial?.epoch === epoch ? options.resume.partial : undefined;
    let { step, lossSum, correct, seen, seconds } = resumed ?? { step: 0, lossSum: 0, correct: 0, seen: 0, seconds: 0 };
    const order = permutation(data.count, options.seed + epoch);
    const started = performance.now() - seconds * 1000;
    options.onEpochStart?.({ epoch, epochs: options.epochs, steps, step });
    while (step < epochSteps) {
      const indices = order.subarray(step * batchSize, Math.min((step + 1) * batchSize, data.count));
      const { xs, ys } = augmentedBatch(data, indices, augment, options.seed, epoch, step);
      const globalStep = (epoch - 1) * steps + step;
      const inspect =
        options.inspect && globalStep % options.inspect.every === 0
          ? options.inspect.onGrads.bind(null, globalStep)
          : undefined;
      learningRate = learningRateAt(schedule, globalStep);
      const result = await trainStepAsync(model, optimizer, xs, ys, inspect, { ...stepRecipe, learningRate });
      const images = ys.shape[0];
      tf.dispose([xs, ys]);
      lossSum += result.loss * images;
      correct += result.correct;
      seen += images;
      step++;
      seconds = (performance.now() - started) / 1000;
      await options.onStep?.({
        epoch,
        epochs: options.epochs,
        step,
        steps,
        globalStep,
        loss: result.loss,
        accuracy: result.correct / images,
        epochLoss: lossSum / seen,
        epochAccuracy: correct / seen,
        learningRate,
        imagesPerSecond: (seen - (resumed?.seen ?? 0)) / Math.max(seconds - (resumed?.seconds ?? 0), 1e-9),
      });
      await nextTurn();
      if (step < epochSteps && options.interrupted?.()) {
        const partial: PartialEpoch = { epoch, step, lossSum, correct, seen, seconds };
        await options.checkpoint?.({ history, partial });
        return { history, partial, finished: false, optimizer };
      }
    }
    if (options.preciseBatchNorm ?? true) preciseBatchNorm(model, data, options.seed + epoch);
    const record: EpochRecord = { epoch, loss: lossSum / seen, accuracy: correct / seen, seconds, learningRate };
    history.push(record);
    await options.onEpochEnd?.({ record, history, epochs: options.epochs, images: seen });
    await options.checkpoint?.({ history });
    if (epoch * steps < runSteps && options.interrupted?.()) return { history, finished: false, optimizer };
  }
  return { history, finished: true, optimizer };
}

/** A batch, augmented when `augment` asks for it with the generator of (seed, epoch, step). */
function augmentedBatch(
  data: Dataset,
  indices: Uint32Array,
  augment: AugmentSpec,
  seed: number,
  epoch: number,
  step: number,
): { xs: tf.Tensor4D; ys: tf.Tensor1D } {
  const batch = toBatch(data, indices);
  if (augment.crop === 0 && !augment.flip) return batch;
  const pixels = batch.xs.dataSync().slice() as Float32Array;
  const shape = batch.xs.shape;
  augmentSeeded(pixels, shape, augment, seed, epoch, step);
  batch.xs.dispose();
  return { xs: tf.tensor4d(pixels, shape, 'float32'), ys: batch.ys };
}

/**
 * Lets the event loop run (a SIGINT handler, a click) before the next step
 * without waiting for a timer: `setImmediate` in Node; in a browser a
 * message to itself (a chain of zero timeouts would be clamped to 4 ms each).
 */
function nextTurn(): Promise<void> {
  const { setImmediate } = globalThis as { setImmediate?: (callback: () => void) => void };
  if (setImmediate !== undefined) return new Promise((resolve) => setImmediate(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
