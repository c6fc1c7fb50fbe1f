/**
 * tfjs-skip-data/node: everything of `tfjs-skip-data`, and reading data
 * from disk in Node: the Fashion-MNIST sample shipped in this package,
 * Debian's full Fashion-MNIST, IDX and CIFAR-10 folders.
 *
 * @module tfjs-skip-data/node
 */
export * from './index.js';
export { FASHION_MNIST_DEBIAN_DIR, SAMPLE_DIR } from './locations.js';
export { loadDataset } from './load_dataset.js';
export { loadFashionMnist, loadSample } from './fashion_mnist.js';
export { loadIdxFolder, type IdxFolderOptions } from './idx_load.js';
export { loadCifar10Folder } from './cifar10_load.js';
export { readBytes, isGzip } from './read_bytes.js';
export { findIdxFiles, idxFileNames, type IdxFiles } from './idx_files.js';
export { writeIdxFolder, type WriteIdxOptions } from './idx_write.js';
