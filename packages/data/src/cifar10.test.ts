import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CIFAR10_CLASSES } from './class_names.js';
import { loadCifar10Folder } from './cifar10_load.js';
import { CIFAR10_RECORD_BYTES, parseCifar10 } from './cifar10_parse.js';

// Pixel (y, x) of colour plane c in record r; distinct enough to catch any
// mix-up of planes, rows, columns or records.
const value = (r: number, c: number, y: number, x: number): number => (r * 50 + c * 80 + y * 3 + x) % 256;

/** A CIFAR-10 binary file written as the format describes: label, then R, G, B planes row-major. */
function cifarRecords(labels: number[], first = 0): Uint8Array {
  const bytes = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
  labels.forEach((label, k) => {
    const r = first + k;
    let at = k * CIFAR10_RECORD_BYTES;
    bytes[at++] = label;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) bytes[at++] = value(r, c, y, x);
  });
  return bytes;
}

function expectHwc(images: Uint8Array, count: number, first = 0): void {
  for (let r = 0; r < count; r++) {
    for (const [y, x] of [
      [0, 0],
      [0, 31],
      [31, 0],
      [17, 5],
      [31, 31],
    ] as const) {
      const at = r * 3072 + (y * 32 + x) * 3;
      expect([...images.subarray(at, at + 3)]).toEqual([0, 1, 2].map((c) => value(first + r, c, y, x)));
    }
  }
}

describe('parseCifar10', () => {
  it('reads labels and turns CHW planes into HWC pixels', () => {
    const batch = parseCifar10(cifarRecords([3, 9, 0]), 'b.bin');
    expect(batch.count).toBe(3);
    expect([...batch.labels]).toEqual([3, 9, 0]);
    expect(batch.images.length).toBe(3 * 32 * 32 * 3);
    expectHwc(batch.images, 3);
  });

  it('rejects a file that is not whole records, quoting its size', () => {
    expect(() => parseCifar10(cifarRecords([1, 2]).subarray(0, 5000), 'data_batch_1.bin')).toThrow(
      'data_batch_1.bin: is 5000 bytes, not a whole number of 3073-byte CIFAR-10 records (1 label + 32x32x3); it ' +
        'ends 1927 bytes into record 2, so it is probably truncated: download the CIFAR-10 binary version ' +
        '(cifar-10-binary) again',
    );
    expect(() => parseCifar10(new Uint8Array(3000), 'data_batch_1.bin')).toThrow(
      new RegExp(
        String.raw`is 3000 bytes, .*; pass a file of the CIFAR-10 binary version \(cifar-10-binary\), ` +
          String.raw`not the Python or MATLAB one$`,
      ),
    );
  });

  it('recognises CIFAR-100 records and says it is not supported', () => {
    expect(() => parseCifar10(new Uint8Array(2 * 3074), 'train.bin')).toThrow(
      /it looks like CIFAR-100 \(3074-byte records\), which is not supported/,
    );
  });

  it('rejects an empty file', () => {
    expect(() => parseCifar10(new Uint8Array(0), 'e.bin')).toThrow(/^e\.bin: is 0 bytes/);
  });
});

describe('loadCifar10Folder', () => {
  async function folder(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'cifar-'));
    // Written out of order, and batch 10 after batch 2: numeric, not text, order.
    await writeFile(join(dir, 'data_batch_10.bin'), cifarRecords([5], 3));
    await writeFile(join(dir, 'data_batch_1.bin'), cifarRecords([1, 2]));
    await writeFile(join(dir, 'data_batch_2.bin'), cifarRecords([7], 2));
    await writeFile(join(dir, 'test_batch.bin'), cifarRecords([4, 8], 100));
    await writeFile(join(dir, 'batches.meta.txt'), CIFAR10_CLASSES.join('\n'));
    return dir;
  }

  it('joins the training batches in numeric order and reads the test batch', async () => {
    const dir = await folder();
    const { name, location, train, test } = await loadCifar10Folder(dir);
    expect([name, location]).toEqual(['cifar10', dir]);
    expect([train.count, train.height, train.width, train.channels, train.classes]).toEqual([4, 32, 32, 3, 10]);
    expect([...train.labels]).toEqual([1, 2, 7, 5]);
    expectHwc(train.images, 4);
    expect(test.count).toBe(2);
    expect([...test.labels]).toEqual([4, 8]);
    expectHwc(test.images, 2, 100);
    expect(test.classNames).toEqual(CIFAR10_CLASSES);
  });

  it('names what is missing', async () => {
    const dir = await folder();
    await rm(join(dir, 'test_batch.bin'));
    await expect(loadCifar10Folder(dir)).rejects.toThrow(
      `${dir}: has no test_batch.bin; pass the cifar-10-batches-bin folder of the CIFAR-10 binary version`,
    );
    const empty = await mkdtemp(join(tmpdir(), 'cifar-'));
    await expect(loadCifar10Folder(empty)).rejects.toThrow(`${empty}: has no data_batch_1.bin ... data_batch_5.bin`);
  });

  it('rejects a label above 9, naming the file', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'test_batch.bin'), cifarRecords([4, 10]));
    await expect(loadCifar10Folder(dir)).rejects.toThrow(
      `${join(dir, 'test_batch.bin')}: has label 10 at example 1, but the data set has 10 classes (0..9)`,
    );
  });

  it('rejects a batch of the wrong record size, naming it', async () => {
    const dir = await folder();
    await writeFile(join(dir, 'data_batch_2.bin'), new Uint8Array(3072));
    await expect(loadCifar10Folder(dir)).rejects.toThrow(
      `${join(dir, 'data_batch_2.bin')}: is 3072 bytes, not a whole number of 3073-byte CIFAR-10 records`,
    );
  });
});
