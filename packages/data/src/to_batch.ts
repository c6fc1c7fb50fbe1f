import * as tf from '@tensorflow/tfjs';
import { exampleSize, type Dataset } from './dataset.js';

/**
 * A batch of examples as tensors. The caller owns them: dispose both (or
 * build and use them inside `tf.tidy`).
 */
export interface Batch {
  /** Images, float32 in [0, 1] (uint8 / 255), shape `[n, height, width, channels]`. */
  readonly xs: tf.Tensor4D;
  /**
   * Class indices, int32, shape `[n]`: sparse labels, a quarter of the
   * memory of one-hot, and what `sparseCategoricalCrossentropy` takes; use
   * `tf.oneHot(ys, dataset.classes)` where one-hot labels are needed.
   */
  readonly ys: tf.Tensor1D;
}

/** The examples of `dataset` at `indices` (in that order) as a `Batch`. */
export function toBatch(dataset: Dataset, indices: ArrayLike<number>): Batch {
  const size = exampleSize(dataset);
  const pixels = new Float32Array(indices.length * size);
  const labels = new Int32Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= dataset.count) {
      throw new RangeError(`toBatch: index ${i} at position ${k} is outside 0..${dataset.count - 1}`);
    }
    const from = i * size;
    const to = k * size;
    for (let p = 0; p < size; p++) pixels[to + p] = dataset.images[from + p] / 255;
    labels[k] = dataset.labels[i];
  }
  const shape: [number, number, number, number] = [indices.length, dataset.height, dataset.width, dataset.channels];
  return { xs: tf.tensor4d(pixels, shape, 'float32'), ys: tf.tensor1d(labels, 'int32') };
}
