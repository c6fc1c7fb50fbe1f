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
    const [l, c] = tf.tidy(() => {
      const logits = model.predict(xs) as tf.Tensor2D;
      return [softmaxCrossEntropy(logits, ys).mul(ys.shape[0]).dataSync()[0], countCorrect(logits, ys).dataSync()[0]];
    });
    lossSum += l;
    correct += c;
    tf.dispose([xs, ys]);
  }
  return { loss: lossSum / dataset.count, accuracy: correct / dataset.count };
}
