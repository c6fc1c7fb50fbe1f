import * as tf from '@tensorflow/tfjs';

/**
 * Targets for cross-entropy with label smoothing (Szegedy et al. 2016):
 * `(1 - epsilon) * oneHot(ys) + epsilon / classes`, so each row still sums
 * to 1. `epsilon = 0` gives plain one-hot targets. Labels of any rank get
 * one more axis, the classes.
 */
export function smoothedTargets(ys: tf.Tensor1D, classes: number, epsilon: number): tf.Tensor2D;
export function smoothedTargets(ys: tf.Tensor, classes: number, epsilon: number): tf.Tensor;
export function smoothedTargets(ys: tf.Tensor, classes: number, epsilon: number): tf.Tensor {
  if (!(epsilon >= 0 && epsilon < 1)) throw new RangeError(`label smoothing must be in [0, 1), received ${epsilon}`);
  return tf.tidy(() => {
    const oneHot = tf.oneHot(ys, classes).toFloat();
    return epsilon === 0 ? oneHot : oneHot.mul(1 - epsilon).add(epsilon / classes);
  });
}
