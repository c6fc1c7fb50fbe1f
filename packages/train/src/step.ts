import * as tf from '@tensorflow/tfjs';
import { runModel } from 'tfjs-skip';
import { offTape, variableOf } from 'tfjs-skip-internals';
import { requireLogits } from './head.js';
import { softmaxCrossEntropy } from './loss.js';
import { variableGradsFreeing } from './grads.js';
import { countCorrect } from './metrics.js';
import { setLearningRate } from './recipes/optimizer.js';
import { applyDecoupledDecay, withL2Gradients, type DecayMode } from './recipes/weight_decay.js';

/** What one training step measured on its batch. */
export interface StepResult {
  /** Mean softmax cross-entropy of the batch, before the update. */
  readonly loss: number;
  /** Predictions of the batch that were right, before the update. */
  readonly correct: number;
}

/** How one step trains, beyond the optimizer itself (all optional: plain cross-entropy at the optimizer's rate). */
export interface StepRecipe {
  /** The rate of this step (from the schedule); set on the optimizer before it applies the gradients. */
  readonly learningRate?: number;
  /** Label smoothing of the training targets (0: none). */
  readonly labelSmoothing?: number;
  /** Weight decay: the variables it applies to, its rate and mode. */
  readonly decay?: {
    /** The variables decayed (see {@link decayedVariables}). */
    readonly variables: readonly tf.Variable[];
    /** The decay rate. */
    readonly rate: number;
    /** `l2` (added to the gradients) or `decoupled` (applied to the weights). */
    readonly mode: DecayMode;
  };
}

/** The tf.Variables behind a model's trainable weights (tfjs-skip-internals' `variableOf` of each). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => variableOf(w));
}

/**
 * One optimizer step of `model`, which outputs logits, on a batch of inputs
 * `xs` and integer labels `ys`, in training mode (Dropout on, BatchNorm on
 * batch statistics and updating its moving ones): the gradients of
 * {@link softmaxCrossEntropy} ({@link variableGradsFreeing}: tf.variableGrads'
 * values in less memory), then `optimizer.applyGradients`, with the
 * recipe's rate, label smoothing and weight decay. `inspect`, when given,
 * sees the gradients by variable name before they are applied; it must not
 * keep them (it may `tf.keep` what it computes from them).
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  inspect?: (grads: tf.NamedTensorMap) => void,
  recipe: StepRecipe = {},
): StepResult {
  const { loss, correct } = stepTensors(model, optimizer, xs, ys, inspect, recipe);
  const result = { loss: loss.dataSync()[0], correct: correct.dataSync()[0] };
  tf.dispose([loss, correct]);
  return result;
}

/**
 * {@link trainStep}, reading its two numbers back without blocking (what a
 * page does on `webgl` or `webgpu`, where a synchronous read stalls it).
 */
export async function trainStepAsync(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  inspect?: (grads: tf.NamedTensorMap) => void,
  recipe: StepRecipe = {},
): Promise<StepResult> {
  const { loss, correct } = stepTensors(model, optimizer, xs, ys, inspect, recipe);
  const [l, c] = await Promise.all([loss.data(), correct.data()]);
  tf.dispose([loss, correct]);
  return { loss: l[0], correct: c[0] };
}

/** The step itself; its loss and count of right predictions are returned as tensors the caller disposes. */
function stepTensors(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor,
  inspect: ((grads: tf.NamedTensorMap) => void) | undefined,
  recipe: StepRecipe,
): { loss: tf.Scalar; correct: tf.Scalar } {
  requireLogits(model, 'trainStep');
  const { decay } = recipe;
  if (recipe.learningRate !== undefined) setLearningRate(optimizer, recipe.learningRate);
  let correct: tf.Scalar | undefined;
  const loss = tf.tidy(() => {
    const { value, grads } = variableGradsFreeing(() => {
      const logits = runModel(model, xs, true);
      correct = tf.keep(offTape(() => countCorrect(logits, ys))); // a count: nothing to differentiate
      return softmaxCrossEntropy(logits, ys, recipe.labelSmoothing ?? 0);
    }, trainableVariables(model));
    inspect?.(grads);
    optimizer.applyGradients(decay?.mode === 'l2' ? withL2Gradients(grads, decay.variables, decay.rate) : grads);
    if (decay?.mode === 'decoupled') applyDecoupledDecay(decay.variables, recipe.learningRate ?? 0, decay.rate);
    return value;
  });
  return { loss, correct: correct as tf.Scalar };
}
