/**
 * tfjs-skip-data/node: everything of `tfjs-skip-data`, and reading data
 * from disk in Node: the Fashion-MNIST sample shipped in this package,
 * Debian's full Fashion-MNIST, IDX and CIFAR-10 folders.
 *
 * @module tfjs-skip-data/node
 */
export * from './index.js';
export { FASHION_MNIST_DEBIAN_DIR, SAMPLE_DIR } from './locations.js';
export { loadDataset } from './load-dataset.js';
export { loadFashionMnist, loadSample } from './fashion-mnist.js';
export { loadIdxFolder, type IdxFolderOptions } from './idx-load.js';
export { loadCifar10Folder } from './cifar10-load.js';
export { readBytes, isGzip } from './read-bytes.js';
export { findIdxFiles, idxFileNames, type IdxFiles } from './idx-files.js';
export { writeIdxFolder, type WriteIdxOptions } from './idx-write.js';
