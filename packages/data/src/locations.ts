import { fileURLToPath } from 'node:url';

/** Where Debian's `dataset-fashion-mnist` package installs the full Fashion-MNIST. */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/** The Fashion-MNIST sample shipped with this package (`fashion-mnist-sample/`). */
export const SAMPLE_DIR = fileURLToPath(new URL('../fashion-mnist-sample', import.meta.url));
