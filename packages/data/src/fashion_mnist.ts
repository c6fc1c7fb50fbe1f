import { existsSync } from 'node:fs';
import { FASHION_MNIST_CLASSES } from './class_names.js';
import type { DataSplits } from './dataset.js';
import { DataError } from './errors.js';
import { loadIdxFolder } from './idx_load.js';
import { FASHION_MNIST_DEBIAN_DIR, SAMPLE_DIR } from './locations.js';

/**
 * The full Fashion-MNIST (60,000 training and 10,000 test images, 28x28 grey),
 * by default where Debian's `dataset-fashion-mnist` package installs it; when
 * the folder is missing, the error says how to install that package.
 */
export async function loadFashionMnist(dir: string = FASHION_MNIST_DEBIAN_DIR): Promise<DataSplits> {
  if (!existsSync(dir)) {
    throw new DataError(
      dir,
      'folder not found',
      `install the full Fashion-MNIST with \`apt-get install dataset-fashion-mnist\` (it goes to ` +
        `${FASHION_MNIST_DEBIAN_DIR}), or pass the folder holding its IDX files`,
    );
  }
  return loadIdxFolder(dir, { name: 'fashion-mnist', classNames: FASHION_MNIST_CLASSES });
}

/** The Fashion-MNIST sample shipped with this package: 6,000 training and 1,000 test images, class-balanced. */
export async function loadSample(): Promise<DataSplits> {
  return loadIdxFolder(SAMPLE_DIR, { name: 'fashion-mnist-sample', classNames: FASHION_MNIST_CLASSES });
}
