/**
 * tfjs-skip-data: image-classification data for tfjs-skip's command line,
 * playground and bench. This entry runs anywhere (browser included):
 * parsers for IDX (MNIST, Fashion-MNIST) and CIFAR-10 bytes, class names,
 * seeded shuffling and subsets, and batching into tensors. Reading files
 * from disk (the shipped sample, Debian's Fashion-MNIST, a folder) is in
 * `tfjs-skip-data/node`; the sample's files themselves are exported as
 * `tfjs-skip-data/sample/<file>` for bundlers.
 *
 * @module tfjs-skip-data
 */
export { DataError } from './errors.js';
export { exampleSize, type Dataset, type DataSplits } from './dataset.js';
export { CIFAR10_CLASSES, FASHION_MNIST_CLASSES, numberedClasses } from './class_names.js';

export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxImages, parseIdxLabels, type IdxImages } from './idx_parse.js';
export { encodeIdx } from './idx_encode.js';
export { idxDataset } from './idx_dataset.js';
export { CIFAR10_RECORD_BYTES, parseCifar10, type Cifar10Batch } from './cifar10_parse.js';

export { mulberry32 } from './mulberry32.js';
export { permutation } from './permutation.js';
export { subset } from './subset.js';
export { syntheticDataset, type SyntheticOptions } from './synthetic.js';
export { takePerClass } from './take_per_class.js';
export { toBatch, type Batch } from './to_batch.js';
export { batchCount, batches, type BatchOptions } from './batches.js';
