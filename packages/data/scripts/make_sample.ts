/**
 * Makes the Fashion-MNIST sample shipped in fashion-mnist-sample/: the
 * first 600 training and the first 100 test images of each class, in file
 * order, from the full set of Debian's `dataset-fashion-mnist` package.
 * Deterministic: running it again writes byte-identical files.
 *
 *   node --import tsx packages/data/scripts/make_sample.ts [FROM_DIR] [OUT_DIR]
 */
import { stat } from 'node:fs/promises';
import { FASHION_MNIST_DEBIAN_DIR, SAMPLE_DIR, loadFashionMnist, takePerClass, writeIdxFolder } from '../src/node.js';

const TRAIN_PER_CLASS = 600;
const TEST_PER_CLASS = 100;

const from = process.argv[2] ?? FASHION_MNIST_DEBIAN_DIR;
const out = process.argv[3] ?? SAMPLE_DIR;

const full = await loadFashionMnist(from);
const train = takePerClass(full.train, TRAIN_PER_CLASS);
const test = takePerClass(full.test, TEST_PER_CLASS);
const files = await writeIdxFolder(out, { train, test });
let total = 0;
for (const file of files) {
  const { size } = await stat(file);
  total += size;
  console.log(`${file}  ${size} bytes`);
}
console.log(`${train.count} training + ${test.count} test images from ${from}; ${total} bytes in all`);
