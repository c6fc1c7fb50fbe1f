import { loadDataset, takePerClass, type DataSplits, type Dataset } from 'tfjs-skip-data/node';
import { CliError } from '../errors.js';

/** The data of a command: both splits, the training split cut to `examples` when asked. */
export interface CommandData {
  readonly source: string;
  readonly splits: DataSplits;
  readonly train: Dataset;
}

/**
 * Loads `--data` and, with `--examples N`, keeps a class-balanced subset of
 * about N training examples (the first N / classes of each class, no seed
 * needed). Data errors keep their own one-line message.
 */
export async function loadCommandData(source: string, examples?: number): Promise<CommandData> {
  const splits = await loadDataset(source);
  if (examples === undefined || examples >= splits.train.count) return { source, splits, train: splits.train };
  const perClass = Math.floor(examples / splits.train.classes);
  if (perClass < 1) {
    throw new CliError(
      `--examples ${examples} is fewer than one per class (${splits.train.classes} classes)`,
      `pass --examples ${splits.train.classes} or more`,
    );
  }
  try {
    return { source, splits, train: takePerClass(splits.train, perClass) };
  } catch (error) {
    throw new CliError(`--examples ${examples}: ${(error as Error).message}`, 'pass a smaller --examples');
  }
}

/** `[height, width, channels]` of a split's images. */
export function imageShape(dataset: Dataset): number[] {
  return [dataset.height, dataset.width, dataset.channels];
}
