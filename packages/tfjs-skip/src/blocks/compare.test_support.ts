import * as tf from '@tensorflow/tfjs';

/** Test support for the fused runs' tests: compare a fused result with the layers' own. */

/** The arrays of `tensors`, disposed. */
export function arrays(tensors: tf.Tensor[]): Float32Array[] {
  const out = tensors.map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(tensors);
  return out;
}

/** The worst difference relative to the largest magnitude of `expected`. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let scale = 1e-12;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  return worst / scale;
}
