import { numberedClasses } from './class_names.js';
import type { DataSplits } from './dataset.js';
import { checkSameShape } from './guards.js';
import { idxDataset } from './idx_dataset.js';
import { findIdxFiles } from './idx_files.js';
import { parseIdxImages, parseIdxLabels } from './idx_parse.js';
import { listFolder } from './list_folder.js';
import { readBytes } from './read_bytes.js';

/** How to name what an IDX folder holds. */
export interface IdxFolderOptions {
  /** `DataSplits.name`, such as `'mnist'`. */
  readonly name: string;
  /** Names of the classes; by default `'0'`, `'1'`, ... up to the largest label found. */
  readonly classNames?: readonly string[];
}

/** Loads the four IDX files (see `findIdxFiles`) of folder `dir`. */
export async function loadIdxFolder(dir: string, options: IdxFolderOptions): Promise<DataSplits> {
  const files = findIdxFiles(dir, await listFolder(dir));
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    readBytes(files.trainImages).then((b) => parseIdxImages(b, files.trainImages)),
    readBytes(files.trainLabels).then((b) => parseIdxLabels(b, files.trainLabels)),
    readBytes(files.testImages).then((b) => parseIdxImages(b, files.testImages)),
    readBytes(files.testLabels).then((b) => parseIdxLabels(b, files.testLabels)),
  ]);
  const classNames = options.classNames ?? numberedClasses(Math.max(largest(trainLabels), largest(testLabels)) + 1);
  const train = idxDataset(trainImages, files.trainImages, trainLabels, files.trainLabels, classNames);
  const test = idxDataset(testImages, files.testImages, testLabels, files.testLabels, classNames);
  checkSameShape(dir, train, test);
  return { name: options.name, location: dir, train, test };
}

function largest(labels: Uint8Array): number {
  return labels.reduce((a, b) => Math.max(a, b), 0);
}
