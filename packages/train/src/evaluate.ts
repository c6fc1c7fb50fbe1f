import * as tf from '@tensorflow/tfjs';
import { batches, type Dataset } from 'tfjs-skip-data';
import { requireLogits } from './head.js';
import { softmaxCrossEntropy } from './loss.js';
import { countCorrect } from './metrics.js';

/** Loss and accuracy of a model on a whole split. */
export interface Evaluation {
  /** Mean softmax cross-entropy over the examples. */
  readonly loss: number;
  /** The fraction of examples whose largest logit is their label's. */
  readonly accuracy: number;
}

/**
 * Evaluates `model` (logits out) on every example of `dataset`, in
 * inference mode, batch by batch so memory stays flat: the mean
 * {@link softmaxCrossEntropy} and the accuracy.
 */
export function evaluate(model: tf.LayersModel, dataset: Dataset, batchSize = 256): Evaluation {
  requireLogits(model, 'evaluate');
  let lossSum = 0;
  let correct = 0;
  for (const { xs, ys } of batches(dataset, batchSize)) {
    const totals = batchTotals(model, xs, ys);
    lossSum += totals.lossSum.dataSync()[0];
    correct += totals.correct.dataSync()[0];
    tf.dispose([xs, ys, totals.lossSum, totals.correct]);
  }
  return { loss: lossSum / dataset.count, accuracy: correct / dataset.count };
}

/**
 * {@link evaluate}, reading each batch's numbers back without blocking (what
 * a page does on `webgl` or `webgpu`, where a synchronous read stalls it).
 */
export async function evaluateAsync(model: tf.LayersModel, dataset: Dataset, batchSize = 256): Promise<Evaluation> {
  requireLogits(model, 'evaluate');
  let lossSum = 0;
  let correct = 0;
  for (const { xs, ys } of batches(dataset, batchSize)) {
    const totals = batchTotals(model, xs, ys);
    tf.dispose([xs, ys]);
    const [batchLoss, batchCorrect] = await Promise.all([totals.lossSum.data(), totals.correct.data()]);
    tf.dispose([totals.lossSum, totals.correct]);
    lossSum += batchLoss[0];
    correct += batchCorrect[0];
  }
  return { loss: lossSum / dataset.count, accuracy: correct / dataset.count };
}

/** A batch's summed loss and its count of right predictions, as scalars the caller disposes. */
function batchTotals(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor): { lossSum: tf.Scalar; correct: tf.Scalar } {
  return tf.tidy(() => {
    const logits = model.predict(xs) as tf.Tensor2D;
    return {
      lossSum: softmaxCrossEntropy(logits, ys).mul(ys.shape[0]) as tf.Scalar,
      correct: countCorrect(logits, ys),
    };
  });
}
