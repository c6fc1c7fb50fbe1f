import * as tf from '@tensorflow/tfjs';

/**
 * The losses a data-parallel step can minimise, by name: a name crosses into
 * a worker, a closure cannot. Each is the mean over the batch, so the loss of
 * a batch is the shard-size-weighted mean of its shards' losses.
 */
export const LOSS_NAMES = ['softmaxCrossEntropy', 'meanSquaredError'] as const;
export type LossName = (typeof LOSS_NAMES)[number];

type LossFunction = (targets: tf.Tensor, outputs: tf.Tensor) => tf.Scalar;

const losses: Record<LossName, LossFunction> = {
  /** Mean softmax cross-entropy of logits, against integer class labels `[n]` or probabilities `[n, classes]`. */
  softmaxCrossEntropy: (targets, logits) => {
    const probabilities = targets.rank === 1 ? tf.oneHot(targets.toInt(), logits.shape[logits.rank - 1]) : targets;
    return tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(probabilities, logits);
  },
  /** Mean over every element of the squared difference. */
  meanSquaredError: (targets, outputs) => tf.losses.meanSquaredError<tf.Tensor, tf.Scalar>(targets, outputs),
};

export function lossFunction(name: LossName): LossFunction {
  const loss = losses[name];
  if (loss == null) {
    throw new Error(`Unknown loss '${String(name)}'; expected one of ${LOSS_NAMES.map((n) => `'${n}'`).join(', ')}.`);
  }
  return loss;
}

/**
 * Refuses targets the loss cannot compare with the model's outputs, before
 * any replica runs (a loss that throws inside `tf.variableGrads` strands
 * the tensors it saved for the backward pass).
 */
export function checkTargets(
  name: LossName,
  targetShape: readonly number[],
  outputShape: readonly (number | null)[],
): void {
  const batch = targetShape[0];
  const perExample = outputShape.slice(1);
  const matchesOutput =
    targetShape.length === outputShape.length && perExample.every((d, i) => d == null || d === targetShape[i + 1]);
  const labels = name === 'softmaxCrossEntropy' && targetShape.length === 1;
  if (!matchesOutput && !labels) {
    const accepted =
      name === 'softmaxCrossEntropy'
        ? `[${batch}] (class labels) or [${batch},${perExample}]`
        : `[${batch},${perExample}]`;
    throw new Error(
      `step(): loss '${name}' needs targets of shape ${accepted} for a model whose output shape is ` +
        `[null,${perExample}]; received ys of shape [${targetShape}].`,
    );
  }
}
