import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';

/** An images file and its labels file must describe the same number of examples. */
export function checkSameCount(imagesFile: string, images: number, labelsFile: string, labels: number): void {
  if (images === labels) return;
  throw new DataError(
    imagesFile,
    `holds ${images} images but ${labelsFile} holds ${labels} labels`,
    'pass an images file and the labels file that belongs to it',
  );
}

/** Every label must name a class: `0 <= label < classes`. */
export function checkLabels(file: string, labels: Uint8Array, classes: number): void {
  const bad = labels.findIndex((label) => label >= classes);
  if (bad === -1) return;
  throw new DataError(
    file,
    `has label ${labels[bad]} at example ${bad}, but the data set has ${classes} classes (0..${classes - 1})`,
    'check that the labels file belongs to this data set',
  );
}

/** Training and test images must have the same size to feed one model. */
export function checkSameShape(location: string, train: Dataset, test: Dataset): void {
  const shape = (d: Dataset): string => `${d.height}x${d.width}x${d.channels}`;
  if (shape(train) === shape(test)) return;
  throw new DataError(
    location,
    `has training images of ${shape(train)} but test images of ${shape(test)}`,
    'use training and test files from the same data set',
  );
}
