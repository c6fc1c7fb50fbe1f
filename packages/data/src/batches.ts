import type { Dataset } from './dataset.js';
import { permutation } from './permutation.js';
import { toBatch, type Batch } from './to_batch.js';

/** Options of `batches`. */
export interface BatchOptions {
  /** Visit the examples in a seeded random order instead of file order. Default false. */
  readonly shuffle?: boolean;
  /** Seed of the shuffle (see `permutation`); pass e.g. `seed + epoch` to reshuffle each epoch. Default 0. */
  readonly seed?: number;
}

/**
 * One epoch of `dataset` in batches of `batchSize` (the last one smaller when
 * `batchSize` does not divide the count): every example exactly once. Tensors
 * are made only as each batch is asked for, and belong to the caller, who
 * disposes them; stopping early leaves nothing behind.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { batches, syntheticDataset } from 'tfjs-skip-data/node';
 *
 * const train = syntheticDataset({ count: 10, height: 2, width: 2 });
 * const shapes = [];
 * for (const { xs, ys } of batches(train, 4, { shuffle: true, seed: 1 })) {
 *   shapes.push([xs.shape, ys.dtype]);
 *   tf.dispose([xs, ys]);
 * }
 * shapes; // => [[[4, 2, 2, 1], 'int32'], [[4, 2, 2, 1], 'int32'], [[2, 2, 2, 1], 'int32']]
 * ```
 */
export function* batches(
  dataset: Dataset,
  batchSize: number,
  options: BatchOptions = {},
): Generator<Batch, void, undefined> {
  checkBatchSize(batchSize);
  const order = options.shuffle ? permutation(dataset.count, options.seed ?? 0) : undefined;
  for (let start = 0; start < dataset.count; start += batchSize) {
    const end = Math.min(start + batchSize, dataset.count);
    yield toBatch(dataset, order ? order.subarray(start, end) : range(start, end));
  }
}

/** How many batches `batches(dataset, batchSize)` yields: for progress bars and ETAs. */
export function batchCount(dataset: Dataset, batchSize: number): number {
  checkBatchSize(batchSize);
  return Math.ceil(dataset.count / batchSize);
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new RangeError(`batch size must be a whole number >= 1, but received ${batchSize}`);
  }
}

function range(start: number, end: number): Uint32Array {
  return Uint32Array.from({ length: end - start }, (_, i) => start + i);
}
