import { join } from 'node:path';
import { DataError } from './errors.js';

/** Paths of the four files of an IDX data set such as MNIST. */
export interface IdxFiles {
  /** The training images (`train-images-idx3-ubyte`, maybe gzipped). */
  readonly trainImages: string;
  /** The training labels (`train-labels-idx1-ubyte`). */
  readonly trainLabels: string;
  /** The test images (`t10k-images-idx3-ubyte`). */
  readonly testImages: string;
  /** The test labels (`t10k-labels-idx1-ubyte`). */
  readonly testLabels: string;
}

/**
 * The names a file may have: `train-images-idx3-ubyte` (LeCun's, Zalando's)
 * or `train-images.idx3-ubyte` (some mirrors), each maybe with `.gz`.
 */
export function idxFileNames(split: 'train' | 't10k', kind: 'images-idx3' | 'labels-idx1'): string[] {
  const dotted = kind.replace('-idx', '.idx');
  return [`${split}-${kind}-ubyte`, `${split}-${dotted}-ubyte`].flatMap((n) => [n, `${n}.gz`]);
}

/** True when `names` (a folder listing) has any IDX data file. */
export function hasIdxFiles(names: readonly string[]): boolean {
  return names.some((name) => /^(train|t10k)-(images|labels)[-.]idx[13]-ubyte(\.gz)?$/.test(name));
}

/** Finds the four IDX files in folder `dir` listed as `names`; a `DataError` names the first one missing. */
export function findIdxFiles(dir: string, names: readonly string[]): IdxFiles {
  const find = (split: 'train' | 't10k', kind: 'images-idx3' | 'labels-idx1'): string => {
    const candidates = idxFileNames(split, kind);
    const found = candidates.find((name) => names.includes(name));
    if (found === undefined) {
      throw new DataError(
        dir,
        `has no ${candidates[0]}[.gz] (nor ${candidates[2]}[.gz])`,
        'pass a folder holding all four IDX files: train/t10k images and labels',
      );
    }
    return join(dir, found);
  };
  return {
    trainImages: find('train', 'images-idx3'),
    trainLabels: find('train', 'labels-idx1'),
    testImages: find('t10k', 'images-idx3'),
    testLabels: find('t10k', 'labels-idx1'),
  };
}
