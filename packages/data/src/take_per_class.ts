import type { Dataset } from './dataset.js';
import { subset } from './subset.js';

/**
 * A class-balanced subset: the first `perClass` examples of each class, in
 * file order (so the choice is deterministic and needs no seed). The kept
 * examples stay in their original order, classes interleaved.
 *
 * @example
 * ```ts
 * import { syntheticDataset, takePerClass } from 'tfjs-skip-data';
 * const few = takePerClass(syntheticDataset({ count: 30, height: 2, width: 2, classes: 3 }), 2);
 * [...few.labels]; // => [0, 1, 2, 0, 1, 2]
 * ```
 */
export function takePerClass(dataset: Dataset, perClass: number): Dataset {
  if (!Number.isInteger(perClass) || perClass < 1) {
    throw new RangeError(`takePerClass: perClass must be a whole number >= 1, but received ${perClass}`);
  }
  const taken = new Array<number>(dataset.classes).fill(0);
  const indices: number[] = [];
  dataset.labels.forEach((label, i) => {
    if (taken[label] < perClass) {
      taken[label] = taken[label] + 1;
      indices.push(i);
    }
  });
  const short = taken.findIndex((n) => n < perClass);
  if (short !== -1) {
    throw new RangeError(
      `takePerClass: class ${short} (${dataset.classNames[short]}) has only ${taken[short]} examples, fewer than the ` +
        `${perClass} asked for`,
    );
  }
  return subset(dataset, indices);
}
