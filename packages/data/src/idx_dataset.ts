import type { Dataset } from './dataset.js';
import { checkLabels, checkSameCount } from './guards.js';
import type { IdxImages } from './idx_parse.js';

/**
 * One grey-scale split from a parsed IDX images file and its labels file,
 * checked to agree: as many labels as images, each naming one of
 * `classNames`. The file names are only for the error messages. Runs
 * anywhere: `loadIdxFolder` reads the files from disk, a page fetches them.
 *
 * @example
 * ```ts
 * import { idxDataset } from 'tfjs-skip-data';
 * const images = { pixels: new Uint8Array(8), count: 2, height: 2, width: 2 };
 * const split = idxDataset(images, 'images.idx', Uint8Array.of(1, 0), 'labels.idx', ['a', 'b']);
 * [split.count, split.channels, split.classes]; // => [2, 1, 2]
 * ```
 */
export function idxDataset(
  images: IdxImages,
  imagesFile: string,
  labels: Uint8Array,
  labelsFile: string,
  classNames: readonly string[],
): Dataset {
  checkSameCount(imagesFile, images.count, labelsFile, labels.length);
  checkLabels(labelsFile, labels, classNames.length);
  const { pixels, count, height, width } = images;
  return { images: pixels, labels, count, height, width, channels: 1, classes: classNames.length, classNames };
}
