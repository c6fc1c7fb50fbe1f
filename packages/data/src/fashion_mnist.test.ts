import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_CLASSES } from './class_names.js';
import type { Dataset } from './dataset.js';
import { loadFashionMnist, loadSample } from './fashion_mnist.js';
import { loadDataset } from './load_dataset.js';
import { FASHION_MNIST_DEBIAN_DIR } from './locations.js';
import { takePerClass } from './take_per_class.js';

const installed = existsSync(FASHION_MNIST_DEBIAN_DIR);
const skipReason =
  `${FASHION_MNIST_DEBIAN_DIR} is missing: install the full set with \`apt-get install ` +
  `dataset-fashion-mnist\` to run this test`;

function classCounts(d: Dataset): number[] {
  const counts = new Array<number>(d.classes).fill(0);
  for (const label of d.labels) counts[label] += 1;
  return counts;
}

// Byte comparison: toEqual walks millions of pixels one by one, for seconds.
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function expectSameData(actual: Dataset, expected: Dataset): void {
  const { images, labels, ...shape } = actual;
  const { images: expectedImages, labels: expectedLabels, ...expectedShape } = expected;
  expect(shape).toEqual(expectedShape);
  expect(sameBytes(images, expectedImages)).toBe(true);
  expect(sameBytes(labels, expectedLabels)).toBe(true);
}

describe('the full Fashion-MNIST from Debian', () => {
  it('loads 60,000 + 10,000 28x28 images, 6,000 and 1,000 per class; the sample is their first', async (context) => {
    context.skip(!installed, skipReason);
    const full = await loadDataset('fashion-mnist');
    expect(full.name).toBe('fashion-mnist');
    expect(full.location).toBe(FASHION_MNIST_DEBIAN_DIR);
    expect([full.train.count, full.train.height, full.train.width, full.train.channels]).toEqual([60000, 28, 28, 1]);
    expect(full.test.count).toBe(10000);
    expect(full.train.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(classCounts(full.train)).toEqual(new Array(10).fill(6000));
    expect(classCounts(full.test)).toEqual(new Array(10).fill(1000));
    // The first training labels of Fashion-MNIST (Ankle boot, T-shirt/top, ...).
    expect([...full.train.labels.subarray(0, 10)]).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);

    // The shipped sample is reproducible from the full set (scripts/make_sample.ts).
    const sample = await loadSample();
    expectSameData(sample.train, takePerClass(full.train, 600));
    expectSameData(sample.test, takePerClass(full.test, 100));
    expect(sameBytes((await loadFashionMnist(FASHION_MNIST_DEBIAN_DIR)).test.labels, full.test.labels)).toBe(true);
  });
});
