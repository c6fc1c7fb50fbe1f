import * as tf from '@tensorflow/tfjs';
import { smoothedTargets } from './recipes/label_smoothing.js';

/**
 * Mean softmax cross-entropy of `logits` against integer class `labels`,
 * with optional label smoothing: the one loss every tfjs-skip training
 * uses. The classes are the last axis of `logits`; `labels` has the other
 * axes (`[batch]` for classification, `[batch, h, w]` for a segmentation
 * map). `tf.losses.softmaxCrossEntropy` computes it from the logits
 * (log-sum-exp), so it equals the cross-entropy of `softmax(logits)`
 * without ever taking the log of a rounded probability.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { softmaxCrossEntropy } from 'tfjs-skip-train';
 * const loss = softmaxCrossEntropy(tf.tensor2d([[0, 0], [0, 0]]), tf.tensor1d([0, 1], 'int32'));
 * (loss.arraySync() as number).toFixed(4); // => '0.6931'
 * ```
 */
export function softmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  const classes = logits.shape.at(-1) as number;
  return tf.tidy(() =>
    tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(smoothedTargets(labels, classes, labelSmoothing), logits),
  );
}
