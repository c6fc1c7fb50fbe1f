import { numberedClasses } from './class-names.js';
import type { Dataset } from './dataset.js';

/** The shape of a `syntheticDataset`. */
export interface SyntheticOptions {
  readonly count: number;
  readonly height: number;
  readonly width: number;
  readonly channels?: number;
  readonly classes?: number;
}

/**
 * A small made-up data set for tests and dry runs, with every value
 * predictable: example `i` has label `i % classes` and pixel `p` (in NHWC
 * order within the example) is `(i * 31 + p * 7) % 256`.
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
