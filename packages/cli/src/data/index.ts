/**
 * tfjs-skip-cli/data: image-classification data for the `tfjs-skip` command.
 * Readers for IDX (MNIST, Fashion-MNIST) and CIFAR-10 binaries, the shipped
 * Fashion-MNIST sample, and seeded batching into tensors.
 */
export { DataError } from './errors.js';
export { exampleSize, type Dataset, type DataSplits } from './dataset.js';
export { CIFAR10_CLASSES, FASHION_MNIST_CLASSES, numberedClasses } from './class-names.js';
export { FASHION_MNIST_DEBIAN_DIR, SAMPLE_DIR } from './locations.js';

export { loadDataset } from './load-dataset.js';
export { loadFashionMnist, loadSample } from './fashion-mnist.js';
export { loadIdxFolder, type IdxFolderOptions } from './idx-load.js';
export { loadCifar10Folder } from './cifar10-load.js';

export { readBytes, isGzip } from './read-bytes.js';
export { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdxImages, parseIdxLabels, type IdxImages } from './idx-parse.js';
export { findIdxFiles, idxFileNames, type IdxFiles } from './idx-files.js';
export { encodeIdx } from './idx-encode.js';
export { writeIdxFolder, type WriteIdxOptions } from './idx-write.js';
export { CIFAR10_RECORD_BYTES, parseCifar10, type Cifar10Batch } from './cifar10-parse.js';

export { mulberry32 } from './mulberry32.js';
export { permutation } from './permutation.js';
export { subset } from './subset.js';
export { syntheticDataset, type SyntheticOptions } from './synthetic.js';
export { takePerClass } from './take-per-class.js';
export { toBatch, type Batch } from './to-batch.js';
export { batchCount, batches, type BatchOptions } from './batches.js';
