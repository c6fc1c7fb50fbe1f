import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Dataset } from './dataset.js';
import { encodeIdx } from './idx_encode.js';

/** Options of `writeIdxFolder`. */
export interface WriteIdxOptions {
  /** Compress each file with gzip (level 9) and add `.gz` to its name. Default true. */
  readonly gzip?: boolean;
}

/**
 * Writes grey-scale `train` and `test` as the four IDX files of an MNIST-style
 * folder (`train-images-idx3-ubyte.gz`, ...), creating `dir` if needed, and
 * returns the paths written. Output is byte-for-byte reproducible.
 */
export async function writeIdxFolder(
  dir: string,
  splits: { train: Dataset; test: Dataset },
  options: WriteIdxOptions = {},
): Promise<string[]> {
  const gzip = options.gzip ?? true;
  await mkdir(dir, { recursive: true });
  const files: Array<[string, Uint8Array]> = [];
  for (const [prefix, d] of [
    ['train', splits.train],
    ['t10k', splits.test],
  ] as const) {
    if (d.channels !== 1)
      throw new RangeError(
        `writeIdxFolder: IDX holds grey-scale images, but the ${prefix} split has ${d.channels} channels`,
      );
    files.push([`${prefix}-images-idx3-ubyte`, encodeIdx([d.count, d.height, d.width], d.images)]);
    files.push([`${prefix}-labels-idx1-ubyte`, encodeIdx([d.count], d.labels)]);
  }
  const paths: string[] = [];
  for (const [name, bytes] of files) {
    const path = join(dir, gzip ? `${name}.gz` : name);
    await writeFile(path, gzip ? gzipSync(bytes, { level: 9 }) : bytes);
    paths.push(path);
  }
  return paths;
}
