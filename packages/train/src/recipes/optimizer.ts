import * as tf from '@tensorflow/tfjs';
import { adamBetaPowers, setLearningRate as setOptimizerLearningRate } from 'tfjs-skip-internals';
import { Adam } from './adam.js';
import { Momentum } from './momentum.js';

/** The optimizers `--optimizer` takes. */
export const OPTIMIZERS = ['sgd', 'adam', 'adamw'] as const;
/** One of {@link OPTIMIZERS}. */
export type OptimizerKind = (typeof OPTIMIZERS)[number];

/**
 * What builds an optimizer. `adamw` is Adam plus decoupled weight decay
 * (applied by `applyDecoupledDecay` of `weight_decay.ts`, not here).
 */
export interface OptimizerSpec {
  /** Which optimizer. */
  readonly optimizer: OptimizerKind;
  /** Its initial learning rate (a schedule changes it per step: {@link setLearningRate}). */
  readonly learningRate: number;
  /** `sgd` only: heavy-ball momentum (0 = plain SGD). */
  readonly momentum: number;
  /** `sgd` only: Nesterov momentum (Sutskever et al. 2013), as PyTorch's `nesterov=True`. */
  readonly nesterov: boolean;
}

/**
 * A TF.js optimizer for `spec`: {@link Momentum} (TF.js's MomentumOptimizer
 * with a one-kernel update where the backend has it; `tf.train.sgd` when
 * momentum is 0) for `sgd`, {@link Adam} (TF.js's AdamOptimizer with a
 * one-kernel update where the backend has it) for `adam` and `adamw`. All
 * are registered classes under TF.js's names, so `model.save({includeOptimizer:
 * true})` stores their state and `tf.loadLayersModel` rebuilds them.
 *
 * @example
 * ```ts
 * import { makeOptimizer } from 'tfjs-skip-train/recipes';
 * const sgd = makeOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0.9, nesterov: true });
 * sgd.getClassName(); // => 'Momentum'
 * const adam = makeOptimizer({ optimizer: 'adam', learningRate: 0.003, momentum: 0, nesterov: false });
 * adam.getClassName(); // => 'Adam'
 * ```
 */
export function makeOptimizer(spec: OptimizerSpec): tf.Optimizer {
  if (spec.optimizer === 'sgd') {
    return spec.momentum > 0
      ? new Momentum(spec.learningRate, spec.momentum, spec.nesterov)
      : tf.train.sgd(spec.learningRate);
  }
  return new Adam(spec.learningRate, 0.9, 0.999);
}

/** Sets the rate the next `applyGradients` uses (SGD and Momentum keep it as a scalar tensor, Adam as a number). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  setOptimizerLearningRate(optimizer, rate);
}

/**
 * State of an optimizer that `getWeights` leaves out. Adam keeps
 * `beta1^t` and `beta2^t` as running products; its `setWeights` recomputes
 * them with `pow`, which differs in the last bits, so a resumed run would
 * drift from an uninterrupted one. These values go into the checkpoint's
 * run state and are put back by `restoreOptimizerExtras`.
 */
export function optimizerExtras(optimizer: tf.Optimizer): number[] {
  const powers = adamBetaPowers(optimizer);
  if (powers === null) return [];
  return powers.map((power) => power.dataSync()[0]);
}

/** Puts back what `optimizerExtras` read (after the optimizer's weights were loaded). */
export function restoreOptimizerExtras(optimizer: tf.Optimizer, extras: readonly number[]): void {
  const powers = adamBetaPowers(optimizer);
  if (powers === null || extras.length !== 2) return;
  powers.forEach((power, i) => power.assign(tf.scalar(extras[i])));
}
