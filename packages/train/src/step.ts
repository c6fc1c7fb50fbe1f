import * as tf from '@tensorflow/tfjs';
import { smoothedTargets } from '../recipes/label-smoothing.js';
import { setLearningRate } from '../recipes/optimizer.js';
import { applyDecoupledDecay, withL2Gradients, type DecayMode } from '../recipes/weight-decay.js';

/** What one training step measured on its batch. */
export interface StepResult {
  /** Mean cross-entropy of the batch, before the update. */
  readonly loss: number;
  /** Examples of the batch the model classified right, before the update. */
  readonly correct: number;
}

/** How one step trains, beyond the optimizer itself (all optional: plain cross-entropy at the optimizer's rate). */
export interface StepRecipe {
  /** The rate of this step (from the schedule); set on the optimizer before it applies the gradients. */
  readonly learningRate?: number;
  /** Label smoothing of the training targets (0: none). */
  readonly labelSmoothing?: number;
  /** Weight decay: the variables it applies to, its rate and mode. */
  readonly decay?: { readonly variables: readonly tf.Variable[]; readonly rate: number; readonly mode: DecayMode };
}

/** The tf.Variables behind a model's trainable weights (the one cast from tfjs-layers' `LayerVariable`). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
}

/**
 * One optimizer step of `model` (which outputs class probabilities) on a
 * batch, in training mode (Dropout on, BatchNorm on batch statistics and
 * updating its moving ones). `inspect`, when given, sees the gradients by
 * variable name before they are applied and must not keep them.
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  xs: tf.Tensor,
  ys: tf.Tensor1D,
  inspect?: (grads: tf.NamedTensorMap) => void,
  recipe: StepRecipe = {},
): StepResult {
  const { decay } = recipe;
  if (recipe.learningRate !== undefined) setLearningRate(optimizer, recipe.learningRate);
  const classes = model.outputs[0]?.shape.at(-1) as number;
  let correct: tf.Scalar | undefined;
  const loss = tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(countCorrect(probs, ys));
      return crossEntropy(probs, ys, classes, recipe.labelSmoothing ?? 0);
    }, trainableVariables(model));
    inspect?.(grads);
    optimizer.applyGradients(decay?.mode === 'l2' ? withL2Gradients(grads, decay.variables, decay.rate) : grads);
    if (decay?.mode === 'decoupled') applyDecoupledDecay(decay.variables, recipe.learningRate ?? 0, decay.rate);
    return value;
  });
  const result = { loss: loss.dataSync()[0], correct: correct?.dataSync()[0] as number };
  tf.dispose([loss, correct]);
  return result;
}

/** Mean cross-entropy of probabilities `probs` against class indices `ys`, with optional label smoothing. */
export function crossEntropy(probs: tf.Tensor2D, ys: tf.Tensor1D, classes: number, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(
    () => tf.mean(tf.metrics.categoricalCrossentropy(smoothedTargets(ys, classes, labelSmoothing), probs)) as tf.Scalar,
  );
}

/** How many rows of `probs` have their largest value at the label. */
export function countCorrect(probs: tf.Tensor2D, ys: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), ys), 'int32')) as tf.Scalar);
}
