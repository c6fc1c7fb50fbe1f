/**
 * One split of an image-classification data set, held as raw bytes: pixels
 * stay uint8 (a quarter of the memory of float32) and are scaled to [0,1]
 * only when a batch is made (see `batches`).
 */
export interface Dataset {
  /** Pixels, uint8, NHWC: example `i` is `images.subarray(i * h * w * c, (i + 1) * h * w * c)`. */
  readonly images: Uint8Array;
  /** Class index of each example, in `[0, classes)`. */
  readonly labels: Uint8Array;
  /** Number of examples. */
  readonly count: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** 1 for grey-scale (IDX), 3 for RGB (CIFAR-10). */
  readonly channels: number;
  /** Number of classes; equals `classNames.length`. */
  readonly classes: number;
  /** Human-readable name of each class, by class index. */
  readonly classNames: readonly string[];
}

/** A data set as `loadDataset` returns it: a training and a test split. */
export interface DataSplits {
  /** What was loaded: `'fashion-mnist-sample'`, `'fashion-mnist'`, `'mnist'`, `'cifar10'` or `'idx'`. */
  readonly name: string;
  /** The folder the files were read from. */
  readonly location: string;
  /** The training split. */
  readonly train: Dataset;
  /** The test split. */
  readonly test: Dataset;
}

/** Values per example: `height * width * channels`. */
export function exampleSize(dataset: Dataset): number {
  return dataset.height * dataset.width * dataset.channels;
}
