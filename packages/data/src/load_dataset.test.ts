import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_RECORD_BYTES } from './cifar10_parse.js';
import { FASHION_MNIST_CLASSES } from './class_names.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { loadFashionMnist } from './fashion_mnist.js';
import { writeIdxFolder } from './idx_write.js';
import { loadDataset } from './load_dataset.js';
import { syntheticDataset } from './synthetic.js';

function classCounts(d: Dataset): number[] {
  const counts = new Array<number>(d.classes).fill(0);
  for (const label of d.labels) counts[label] += 1;
  return counts;
}

async function idxFolder(name: string): Promise<string> {
  const dir = join(await mkdtemp(join(tmpdir(), 'load-')), name);
  const data = syntheticDataset({ count: 12, height: 5, width: 5, classes: 4 });
  await writeIdxFolder(dir, { train: data, test: data });
  return dir;
}

async function cifarFolder(inner: boolean): Promise<{ root: string; files: string }> {
  const root = await mkdtemp(join(tmpdir(), 'load-cifar-'));
  const files = inner ? join(root, 'cifar-10-batches-bin') : root;
  await mkdir(files, { recursive: true });
  await writeFile(join(files, 'data_batch_1.bin'), new Uint8Array(3 * CIFAR10_RECORD_BYTES));
  await writeFile(join(files, 'test_batch.bin'), new Uint8Array(CIFAR10_RECORD_BYTES));
  return { root, files };
}

describe('loadDataset', () => {
  it("'sample' is the shipped Fashion-MNIST sample: 6,000 + 1,000 images, classes balanced", async () => {
    const { name, train, test } = await loadDataset('sample');
    expect(name).toBe('fashion-mnist-sample');
    expect([train.count, train.height, train.width, train.channels]).toEqual([6000, 28, 28, 1]);
    expect(test.count).toBe(1000);
    expect(train.classNames).toEqual(FASHION_MNIST_CLASSES);
    expect(classCounts(train)).toEqual(new Array(10).fill(600));
    expect(classCounts(test)).toEqual(new Array(10).fill(100));
    expect(train.images.length).toBe(6000 * 784);
    // Real photographs of clothes: dark backgrounds, bright garments.
    expect(train.images.some((v) => v === 255)).toBe(true);
    expect(train.images.filter((v) => v === 0).length / train.images.length).toBeGreaterThan(0.3);
  });

  it('reads a folder of IDX files, numbering classes, or naming them for Fashion-MNIST', async () => {
    const plain = await loadDataset(await idxFolder('digits'));
    expect([plain.name, plain.train.count, plain.train.classes]).toEqual(['idx', 12, 4]);
    expect((await loadDataset(await idxFolder('my-mnist'))).name).toBe('mnist');
    const fashion = await loadDataset(await idxFolder('Fashion-small'));
    expect([fashion.name, fashion.train.classNames]).toEqual(['fashion-mnist', FASHION_MNIST_CLASSES]);
  });

  it("'mnist:DIR' and 'fashion-mnist:DIR' name the classes of that set", async () => {
    const dir = await idxFolder('x');
    const mnist = await loadDataset(`mnist:${dir}`);
    expect([mnist.name, mnist.location, mnist.train.classNames]).toEqual([
      'mnist',
      dir,
      ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    ]);
    expect((await loadDataset(`fashion-mnist:${dir}`)).train.classNames).toEqual(FASHION_MNIST_CLASSES);
  });

  it('reads CIFAR-10 binaries from their folder or the folder above it', async () => {
    const { root, files } = await cifarFolder(true);
    for (const source of [root, files, `cifar10:${root}`]) {
      const { name, location, train, test } = await loadDataset(source);
      expect([name, location, train.count, test.count, train.channels]).toEqual(['cifar10', files, 3, 1, 3]);
    }
    const flat = await cifarFolder(false);
    expect((await loadDataset(flat.root)).train.count).toBe(3);
  });

  it("'mnist' and 'cifar10' alone ask for the folder", async () => {
    await expect(loadDataset('mnist')).rejects.toThrow(
      "mnist: is not shipped with this package; pass the folder holding its files, as 'mnist:DIR'",
    );
    await expect(loadDataset('cifar10')).rejects.toThrow(
      "cifar10: is not shipped with this package; pass the folder holding its files, as 'cifar10:DIR'",
    );
  });

  it('names an unknown source and lists what it accepts', async () => {
    await expect(loadDataset('fashion')).rejects.toThrow(
      "fashion: is neither a data set name nor an existing folder; pass 'sample', 'fashion-mnist', 'mnist:DIR', " +
        "'fashion-mnist:DIR', 'cifar10:DIR' or a folder",
    );
  });

  it('names a folder that holds no data files, and a file passed as the folder', async () => {
    const empty = await mkdtemp(join(tmpdir(), 'empty-'));
    await expect(loadDataset(empty)).rejects.toThrow(
      `${empty}: holds neither IDX files (train-images-idx3-ubyte[.gz], ...) nor CIFAR-10 binaries`,
    );
    const file = join(await idxFolder('f'), 'train-images-idx3-ubyte.gz');
    await expect(loadDataset(file)).rejects.toThrow(
      `${file}: is a file, not a folder; pass the folder that holds the data files`,
    );
    await expect(loadDataset(`mnist:${empty}/nope`)).rejects.toThrow(`${empty}/nope: folder not found`);
  });

  it('says how to install the full Fashion-MNIST when its folder is missing', async () => {
    const error = await loadFashionMnist('/nonexistent/fashion-mnist').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toBe(
      '/nonexistent/fashion-mnist: folder not found; install the full Fashion-MNIST with ' +
        '`apt-get install dataset-fashion-mnist` (it goes to /usr/share/datasets/fashion-mnist), ' +
        'or pass the folder holding its IDX files',
    );
    await expect(loadDataset('fashion-mnist:/nonexistent/fashion-mnist')).rejects.toThrow(
      /apt-get install dataset-fashion-mnist/,
    );
  });
});
