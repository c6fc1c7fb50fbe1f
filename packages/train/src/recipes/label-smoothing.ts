import * as tf from '@tensorflow/tfjs';

/**
 * Targets for cross-entropy with label smoothing (Szegedy et al. 2016):
 * `(1 - epsilon) * oneHot(ys) + epsilon / classes`, so each row still sums
 * to 1. `epsilon = 0` gives plain one-hot targets.
 */
export function smoothedTargets(ys: tf.Tensor1D, classes: number, epsilon: number): tf.Tensor2D {
  if (!(epsilon >= 0 && epsilon < 1)) throw new RangeError(`label smoothing must be in [0, 1), received ${epsilon}`);
  return tf.tidy(() => {
    const oneHot = tf.oneHot(ys, classes).toFloat() as tf.Tensor2D;
    return epsilon === 0 ? oneHot : (oneHot.mul(1 - epsilon).add(epsilon / classes) as tf.Tensor2D);
  });
}
