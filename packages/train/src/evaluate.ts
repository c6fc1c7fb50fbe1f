import * as tf from '@tensorflow/tfjs';
import { batches, type Dataset } from 'tfjs-skip-data';
import { countCorrect, crossEntropy } from './step.js';

/** Loss and accuracy of a model on a whole split. */
export interface Evaluation {
  readonly loss: number;
  readonly accuracy: number;
}

/**
 * Evaluates `model` (probabilities out) on every example of `dataset`, in
 * inference mode, batch by batch so memory stays flat.
 */
export function evaluate(model: tf.LayersModel, dataset: Dataset, batchSize = 256): Evaluation {
  let lossSum = 0;
  let correct = 0;
  for (const { xs, ys } of batches(dataset, batchSize)) {
    const [l, c] = tf.tidy(() => {
      const probs = model.predict(xs) as tf.Tensor2D;
      return [
        crossEntropy(probs, ys, dataset.classes).mul(ys.shape[0]).dataSync()[0],
        countCorrect(probs, ys).dataSync()[0],
      ];
    });
    lossSum += l;
    correct += c;
    tf.dispose([xs, ys]);
  }
  return { loss: lossSum / dataset.count, accuracy: correct / dataset.count };
}
