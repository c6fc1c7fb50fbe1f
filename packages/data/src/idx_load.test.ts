import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeIdx } from './idx_encode.js';
import { loadIdxFolder } from './idx_load.js';
import { writeIdxFolder } from './idx_write.js';
import { syntheticDataset } from './synthetic.js';

const train = syntheticDataset({ count: 7, height: 4, width: 3, classes: 3 });
const test = syntheticDataset({ count: 5, height: 4, width: 3, classes: 3 });

async function folderWith(options: { gzip: boolean }): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'idx-'));
  await writeIdxFolder(dir, { train, test }, options);
  return dir;
}

describe('loadIdxFolder', () => {
  for (const gzip of [true, false]) {
    it(`round-trips what writeIdxFolder wrote (gzip: ${gzip})`, async () => {
      const dir = await folderWith({ gzip });
      const names = (await readdir(dir)).sort();
      expect(names).toEqual(
        gzip
          ? [
              't10k-images-idx3-ubyte.gz',
              't10k-labels-idx1-ubyte.gz',
              'train-images-idx3-ubyte.gz',
              'train-labels-idx1-ubyte.gz',
            ]
          : ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 'train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
      );
      const loaded = await loadIdxFolder(dir, { name: 'tiny', classNames: ['a', 'b', 'c'] });
      expect(loaded.name).toBe('tiny');
      expect(loaded.location).toBe(dir);
      expect(loaded.train).toEqual({ ...train, classNames: ['a', 'b', 'c'] });
      expect(loaded.test).toEqual({ ...test, classNames: ['a', 'b', 'c'] });
    });
  }

  it('accepts the dotted naming (train-images.idx3-ubyte) and mixed compression', async () => {
    const dir = await folderWith({ gzip: false });
    await rename(join(dir, 'train-images-idx3-ubyte'), join(dir, 'train-images.idx3-ubyte'));
    await rename(join(dir, 't10k-labels-idx1-ubyte'), join(dir, 't10k-labels.idx1-ubyte'));
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([7], train.labels)));
    await rm(join(dir, 'train-labels-idx1-ubyte'));
    const loaded = await loadIdxFolder(dir, { name: 'x' });
    expect(loaded.train.images).toEqual(train.images);
    expect(loaded.train.labels).toEqual(train.labels);
    expect(loaded.test.labels).toEqual(test.labels);
  });

  it('numbers the classes up to the largest label when not told their names', async () => {
    const loaded = await loadIdxFolder(await folderWith({ gzip: true }), { name: 'x' });
    expect(loaded.train.classes).toBe(3);
    expect(loaded.train.classNames).toEqual(['0', '1', '2']);
  });

  it('names the first missing file and the naming it looked for', async () => {
    const dir = await folderWith({ gzip: true });
    await rm(join(dir, 't10k-images-idx3-ubyte.gz'));
    await expect(loadIdxFolder(dir, { name: 'x' })).rejects.toThrow(
      `${dir}: has no t10k-images-idx3-ubyte[.gz] (nor t10k-images.idx3-ubyte[.gz]); pass a folder holding all four ` +
        `IDX files: train/t10k images and labels`,
    );
  });

  it('names a missing folder', async () => {
    await expect(loadIdxFolder('/no/such/folder', { name: 'x' })).rejects.toThrow(
      '/no/such/folder: folder not found; check the path',
    );
  });

  it('rejects images and labels of different counts, naming both files', async () => {
    const dir = await folderWith({ gzip: true });
    await writeFile(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(encodeIdx([6], train.labels.subarray(0, 6))));
    await expect(loadIdxFolder(dir, { name: 'x' })).rejects.toThrow(
      `${join(dir, 'train-images-idx3-ubyte.gz')}: holds 7 images but ${join(dir, 'train-labels-idx1-ubyte.gz')} ` +
        `holds 6 labels; pass an images file and the labels file that belongs to it`,
    );
  });

  it('rejects a label outside the named classes', async () => {
    const dir = await folderWith({ gzip: true });
    await expect(loadIdxFolder(dir, { name: 'x', classNames: ['a', 'b'] })).rejects.toThrow(
      `${join(dir, 'train-labels-idx1-ubyte.gz')}: has label 2 at example 2, but the data set has 2 classes (0..1)`,
    );
  });

  it('rejects training and test images of different sizes', async () => {
    const dir = await folderWith({ gzip: true });
    const wide = syntheticDataset({ count: 5, height: 4, width: 5, classes: 3 });
    await writeFile(join(dir, 't10k-images-idx3-ubyte.gz'), gzipSync(encodeIdx([5, 4, 5], wide.images)));
    await expect(loadIdxFolder(dir, { name: 'x' })).rejects.toThrow(
      `${dir}: has training images of 4x3x1 but test images of 4x5x1`,
    );
  });

  it('passes on a truncated file as a DataError naming it', async () => {
    const dir = await folderWith({ gzip: false });
    const file = join(dir, 'train-images-idx3-ubyte');
    await writeFile(file, encodeIdx([7, 4, 3], train.images).subarray(0, 50));
    await expect(loadIdxFolder(dir, { name: 'x' })).rejects.toThrow(
      `${file}: is 50 bytes but its header (7x4x3) claims 100`,
    );
  });
});

describe('writeIdxFolder', () => {
  it('refuses colour images, which IDX files of MNIST type do not hold', async () => {
    const rgb = syntheticDataset({ count: 2, height: 2, width: 2, channels: 3 });
    await expect(writeIdxFolder(join(tmpdir(), 'never-written'), { train: rgb, test: rgb })).rejects.toThrow(
      'writeIdxFolder: IDX holds grey-scale images, but the train split has 3 channels',
    );
  });
});
