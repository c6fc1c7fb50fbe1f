import { exampleSize, type Dataset } from './dataset.js';

/** The examples of `dataset` at `indices`, in that order, copied into a new data set. */
export function subset(dataset: Dataset, indices: ArrayLike<number>): Dataset {
  const size = exampleSize(dataset);
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= dataset.count) {
      throw new RangeError(`subset: index ${i} at position ${k} is outside 0..${dataset.count - 1}`);
    }
    images.set(dataset.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = dataset.labels[i];
  }
  return { ...dataset, images, labels, count: indices.length };
}
