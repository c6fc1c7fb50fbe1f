import { join } from 'node:path';
import { CIFAR10_CLASSES } from './class_names.js';
import { CIFAR10_SIZE, parseCifar10, type Cifar10Batch } from './cifar10_parse.js';
import type { DataSplits, Dataset } from './dataset.js';
import { DataError } from './errors.js';
import { checkLabels } from './guards.js';
import { listFolder } from './list_folder.js';
import { readBytes } from './read_bytes.js';

const TRAIN_FILE = /^data_batch_(\d+)\.bin$/;
const TEST_FILE = 'test_batch.bin';

/** True when `names` (a folder listing) has CIFAR-10 binary files. */
export function hasCifar10Files(names: readonly string[]): boolean {
  return names.some((name) => name === TEST_FILE || TRAIN_FILE.test(name));
}

/**
 * Loads the CIFAR-10 binary version from folder `dir` (`cifar-10-batches-bin`):
 * every `data_batch_N.bin` in order of N for training, `test_batch.bin` for test.
 */
export async function loadCifar10Folder(dir: string): Promise<DataSplits> {
  const names = await listFolder(dir);
  const trainNames = names.filter((n) => TRAIN_FILE.test(n)).sort((a, b) => batchNumber(a) - batchNumber(b));
  if (trainNames.length === 0) throw missing(dir, 'data_batch_1.bin ... data_batch_5.bin');
  if (!names.includes(TEST_FILE)) throw missing(dir, TEST_FILE);
  const train = await loadSplit(trainNames.map((n) => join(dir, n)));
  const test = await loadSplit([join(dir, TEST_FILE)]);
  return { name: 'cifar10', location: dir, train, test };
}

async function loadSplit(files: string[]): Promise<Dataset> {
  const batches: Cifar10Batch[] = [];
  for (const file of files) {
    const batch = parseCifar10(await readBytes(file), file);
    checkLabels(file, batch.labels, CIFAR10_CLASSES.length);
    batches.push(batch);
  }
  const only = batches.length === 1 ? batches[0] : undefined;
  return {
    images: only?.images ?? concat(batches.map((b) => b.images)),
    labels: only?.labels ?? concat(batches.map((b) => b.labels)),
    count: batches.reduce((n, b) => n + b.count, 0),
    height: CIFAR10_SIZE,
    width: CIFAR10_SIZE,
    channels: 3,
    classes: CIFAR10_CLASSES.length,
    classNames: CIFAR10_CLASSES,
  };
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function batchNumber(name: string): number {
  return Number(TRAIN_FILE.exec(name)?.[1]);
}

function missing(dir: string, what: string): DataError {
  return new DataError(dir, `has no ${what}`, 'pass the cifar-10-batches-bin folder of the CIFAR-10 binary version');
}
