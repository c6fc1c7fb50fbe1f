import * as tf from '@tensorflow/tfjs';

/**
 * How many predictions have their largest value at the label: rows of
 * `scores` (logits or probabilities, the same argmax) against integer
 * `labels` of the other axes.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { countCorrect } from 'tfjs-skip-train';
 * const logits = tf.tensor2d([[2, 0, 0], [0, 3, 0]]);
 * countCorrect(logits, tf.tensor1d([0, 2], 'int32')).arraySync(); // => 1
 * ```
 */
export function countCorrect(scores: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(scores, -1), labels), 'int32')) as tf.Scalar);
}
