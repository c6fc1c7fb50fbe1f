import { numberedClasses } from './class_names.js';
import type { Dataset } from './dataset.js';

/** The shape of a `syntheticDataset`. */
export interface SyntheticOptions {
  /** Number of examples. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channels per pixel (default 1). */
  readonly channels?: number;
  /** Number of classes (default 10). */
  readonly classes?: number;
}

/**
 * A small made-up data set for tests and dry runs, with every value
 * predictable: example `i` has label `i % classes` and pixel `p` (in NHWC
 * order within the example) is `(i * 31 + p * 7) % 256`.
 *
 * @example
 * ```ts
 * import { syntheticDataset, exampleSize } from 'tfjs-skip-data';
 * const data = syntheticDataset({ count: 12, height: 4, width: 4, classes: 3 });
 * [...data.labels.slice(0, 4)]; // => [0, 1, 2, 0]
 * exampleSize(data); // => 16
 * ```
 */
export function syntheticDataset(options: SyntheticOptions): Dataset {
  const { count, height, width, channels = 1, classes = 10 } = options;
  const size = height * width * channels;
  const images = new Uint8Array(count * size);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % classes;
    for (let p = 0; p < size; p++) images[i * size + p] = (i * 31 + p * 7) % 256;
  }
  return { images, labels, count, height, width, channels, classes, classNames: numberedClasses(classes) };
}
