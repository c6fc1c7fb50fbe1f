import { describe, expect, it } from 'vitest';
import { DataError } from './errors.js';
import { idxDataset } from './idx_dataset.js';

const images = { pixels: Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i), count: 3, height: 2, width: 2 };

describe('idxDataset', () => {
  it('is one grey-scale split holding the parsed bytes as they are', () => {
    const labels = Uint8Array.of(2, 0, 1);
    const split = idxDataset(images, 'images.idx', labels, 'labels.idx', ['a', 'b', 'c']);
    expect(split).toEqual({
      images: images.pixels,
      labels,
      count: 3,
      height: 2,
      width: 2,
      channels: 1,
      classes: 3,
      classNames: ['a', 'b', 'c'],
    });
    expect(split.images).toBe(images.pixels); // not copied
  });

  it('refuses labels that do not match the images in count, naming both files', () => {
    expect(() => idxDataset(images, 'train-images.gz', Uint8Array.of(0, 1), 'train-labels.gz', ['a', 'b'])).toThrow(
      new DataError(
        'train-images.gz',
        'holds 3 images but train-labels.gz holds 2 labels',
        'pass an images file and the labels file that belongs to it',
      ),
    );
  });

  it('refuses a label outside the classes, naming the file, the example and the range', () => {
    expect(() => idxDataset(images, 'images.idx', Uint8Array.of(0, 2, 1), 'labels.idx', ['a', 'b'])).toThrow(
      'labels.idx: has label 2 at example 1, but the data set has 2 classes (0..1)',
    );
  });
});
