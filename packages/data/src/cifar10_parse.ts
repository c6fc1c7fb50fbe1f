import { DataError } from './errors.js';

/** CIFAR-10 images are 32x32 RGB. */
export const CIFAR10_SIZE = 32;
/** One record of a CIFAR-10 binary file: 1 label byte, then 1024 red, 1024 green and 1024 blue bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * CIFAR10_SIZE * CIFAR10_SIZE;

/** The records of one CIFAR-10 binary file, pixels converted to HWC. */
export interface Cifar10Batch {
  /** uint8, NHWC, 32x32x3 per image. */
  readonly images: Uint8Array;
  /** Class index of each image, 0 to 9 (see {@link CIFAR10_CLASSES}). */
  readonly labels: Uint8Array;
  /** Number of images. */
  readonly count: number;
}

/** Parses a CIFAR-10 binary file (`data_batch_1.bin`, `test_batch.bin`, ...); `file` names it in errors. */
export function parseCifar10(bytes: Uint8Array, file: string): Cifar10Batch {
  checkRecordSize(file, bytes.length);
  const count = bytes.length / CIFAR10_RECORD_BYTES;
  const plane = CIFAR10_SIZE * CIFAR10_SIZE;
  const images = new Uint8Array(count * 3 * plane);
  const labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const record = r * CIFAR10_RECORD_BYTES;
    const image = r * 3 * plane;
    labels[r] = bytes[record];
    for (let c = 0; c < 3; c++) {
      const from = record + 1 + c * plane;
      for (let p = 0; p < plane; p++) images[image + 3 * p + c] = bytes[from + p];
    }
  }
  return { images, labels, count };
}

function checkRecordSize(file: string, length: number): void {
  if (length > 0 && length % CIFAR10_RECORD_BYTES === 0) return;
  const remedy =
    length % (CIFAR10_RECORD_BYTES + 1) === 0 && length > 0
      ? 'it looks like CIFAR-100 (3074-byte records), which is not supported: pass the CIFAR-10 binary version'
      : length > CIFAR10_RECORD_BYTES
        ? `it ends ${length % CIFAR10_RECORD_BYTES} bytes into record ` +
          `${Math.floor(length / CIFAR10_RECORD_BYTES) + 1}, so it is probably truncated: download the CIFAR-10 ` +
          `binary version (cifar-10-binary) again`
        : 'pass a file of the CIFAR-10 binary version (cifar-10-binary), not the Python or MATLAB one';
  throw new DataError(
    file,
    `is ${length} bytes, not a whole number of ${CIFAR10_RECORD_BYTES}-byte CIFAR-10 records (1 label + 32x32x3)`,
    remedy,
  );
}
