import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { numberedClasses } from './class_names.js';
import { hasCifar10Files, loadCifar10Folder } from './cifar10_load.js';
import type { DataSplits } from './dataset.js';
import { DataError } from './errors.js';
import { loadFashionMnist, loadSample } from './fashion_mnist.js';
import { hasIdxFiles } from './idx_files.js';
import { loadIdxFolder } from './idx_load.js';
import { listFolder } from './list_folder.js';

const CIFAR10_SUBFOLDER = 'cifar-10-batches-bin';
const SOURCES = "'sample', 'fashion-mnist', 'mnist:DIR', 'fashion-mnist:DIR', 'cifar10:DIR' or a folder";

/**
 * Loads the data set named by `source`:
 * - `'sample'`: the Fashion-MNIST sample shipped with this package;
 * - `'fashion-mnist'`: the full set from Debian's `dataset-fashion-mnist`;
 * - `'mnist:DIR'`, `'fashion-mnist:DIR'`: IDX files in folder DIR, with that set's class names;
 * - `'cifar10:DIR'`: the CIFAR-10 binary version in DIR (or in its `cifar-10-batches-bin`);
 * - a folder: CIFAR-10 binaries if it has any, else IDX files. IDX classes
 *   get Fashion-MNIST's names when the path contains "fashion", and are
 *   numbered `'0'`, `'1'`, ... (MNIST's digits) otherwise.
 *
 * Failures are a `DataError` whose one-line message says what to do.
 *
 * @example
 * ```ts
 * import { loadDataset } from 'tfjs-skip-data/node';
 *
 * const { name, train, test } = await loadDataset('sample');
 * name; // => 'fashion-mnist-sample'
 * [train.count, test.count, train.height, train.width, train.channels]; // => [6000, 1000, 28, 28, 1]
 * train.classNames[9]; // => 'Ankle boot'
 * ```
 */
export async function loadDataset(source: string): Promise<DataSplits> {
  if (source === 'sample') return loadSample();
  if (source === 'fashion-mnist') return loadFashionMnist();
  if ((source === 'mnist' || source === 'cifar10') && !existsSync(source)) {
    throw new DataError(
      source,
      'is not shipped with this package',
      `pass the folder holding its files, as '${source}:DIR'`,
    );
  }
  const [, kind, dir] = /^(mnist|fashion-mnist|cifar10):(.+)$/.exec(source) ?? [];
  if (kind === 'mnist' && dir) return loadIdxFolder(dir, { name: 'mnist', classNames: numberedClasses(10) });
  if (kind === 'fashion-mnist' && dir) return loadFashionMnist(dir);
  if (kind === 'cifar10' && dir) return loadCifar10(dir, await listFolder(dir));
  if (!existsSync(source)) {
    throw new DataError(source, 'is neither a data set name nor an existing folder', `pass ${SOURCES}`);
  }
  return loadFolder(source);
}

async function loadFolder(dir: string): Promise<DataSplits> {
  const names = await listFolder(dir);
  if (names.includes(CIFAR10_SUBFOLDER) || hasCifar10Files(names)) return loadCifar10(dir, names);
  if (hasIdxFiles(names)) {
    if (/fashion/i.test(dir)) return loadFashionMnist(dir);
    return loadIdxFolder(dir, { name: /mnist/i.test(dir) ? 'mnist' : 'idx' });
  }
  throw new DataError(
    dir,
    'holds neither IDX files (train-images-idx3-ubyte[.gz], ...) nor CIFAR-10 binaries (data_batch_1.bin, ..., ' +
      'test_batch.bin)',
    `pass a folder with one of them, or ${SOURCES}`,
  );
}

function loadCifar10(dir: string, names: readonly string[]): Promise<DataSplits> {
  const inner = names.includes(CIFAR10_SUBFOLDER) && basename(dir) !== CIFAR10_SUBFOLDER;
  return loadCifar10Folder(inner ? join(dir, CIFAR10_SUBFOLDER) : dir);
}
