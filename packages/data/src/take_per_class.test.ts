import { describe, expect, it } from 'vitest';
import { subset } from './subset.js';
import { syntheticDataset } from './synthetic.js';
import { takePerClass } from './take_per_class.js';

const data = syntheticDataset({ count: 20, height: 2, width: 2, classes: 4 });

describe('subset', () => {
  it('copies the examples at the indices, in that order', () => {
    const picked = subset(data, [5, 0, 19]);
    expect(picked.count).toBe(3);
    expect([...picked.labels]).toEqual([1, 0, 3]);
    expect(picked.images).toEqual(
      Uint8Array.from([
        ...data.images.subarray(20, 24),
        ...data.images.subarray(0, 4),
        ...data.images.subarray(76, 80),
      ]),
    );
    expect([picked.height, picked.width, picked.channels, picked.classes]).toEqual([2, 2, 1, 4]);
  });

  it('rejects an index out of range, quoting it', () => {
    expect(() => subset(data, [0, 20])).toThrow('subset: index 20 at position 1 is outside 0..19');
  });
});

describe('takePerClass', () => {
  it('keeps the first n of each class, in file order', () => {
    const taken = takePerClass(data, 2);
    // labels are i % 4: the first two of each class are examples 0..7
    expect(taken).toEqual(subset(data, [0, 1, 2, 3, 4, 5, 6, 7]));
  });

  it('keeps file order when classes come unevenly', () => {
    const uneven = subset(data, [0, 4, 8, 1, 5, 2, 3, 12, 6, 7]); // labels 0 0 0 1 1 2 3 0 2 3
    expect([...takePerClass(uneven, 2).labels]).toEqual([0, 0, 1, 1, 2, 3, 2, 3]);
  });

  it('says which class is short', () => {
    expect(() => takePerClass(data, 6)).toThrow(
      'takePerClass: class 0 (0) has only 5 examples, fewer than the 6 asked for',
    );
    expect(() => takePerClass(data, 0)).toThrow('takePerClass: perClass must be a whole number >= 1, but received 0');
  });
});
