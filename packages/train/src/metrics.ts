import * as tf from '@tensorflow/tfjs';

/**
 * How many predictions have their largest value at the label: rows of
 * `scores` (logits or probabilities, the same argmax) against integer
 * `labels` of the other axes.
 */
export function countCorrect(scores: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(scores, -1), labels), 'int32')) as tf.Scalar);
}
