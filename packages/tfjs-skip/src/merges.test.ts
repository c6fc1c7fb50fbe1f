import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { getMerge, isMergeName, MERGE_NAMES, type MergeName } from './merges.js';

/**
 * Each merge computed by hand on plain numbers (main `a`, skip `b`, rows of
 * two values): typed by the merge names, so a merge added to the table
 * without its line here does not compile, and the test below runs them all.
 */
const BY_HAND: Record<MergeName, (a: number[], b: number[]) => number[]> = {
  add: (a, b) => a.map((x, i) => x + b[i]),
  concat: (a, b) => [...a, ...b],
  multiply: (a, b) => a.map((x, i) => x * b[i]),
  average: (a, b) => a.map((x, i) => (x + b[i]) / 2),
  maximum: (a, b) => a.map((x, i) => Math.max(x, b[i])),
  minimum: (a, b) => a.map((x, i) => Math.min(x, b[i])),
};

describe('the merge table', () => {
  it('names every merge it holds, add first (the default)', () => {
    expect(MERGE_NAMES[0]).toBe('add');
    expect([...MERGE_NAMES].sort()).toEqual(Object.keys(BY_HAND).sort());
    for (const how of MERGE_NAMES) expect(isMergeName(how)).toBe(true);
    for (const bad of ['sum', 'Add', '__proto__', 'constructor', 'hasOwnProperty', 3, null]) {
      expect(isMergeName(bad), String(bad)).toBe(false);
    }
  });

  it.each(MERGE_NAMES.map((how) => [how]))('%s merges two tensors as computed by hand', (how) => {
    const a = [
      [1, -2],
      [0.5, 4],
    ];
    const b = [
      [3, -1],
      [0.5, -4],
    ];
    const merge = getMerge(how);
    const merged = tf.tidy(() => merge.apply(tf.tensor2d(a), tf.tensor2d(b)).arraySync());
    expect(merged).toEqual(a.map((row, i) => BY_HAND[how](row, b[i])));
    expect(merge.outputShape([null, 2], [null, 2])).toEqual([null, how === 'concat' ? 4 : 2]);
    expect(merge.outputShape([null, 2], [null, 2, 1])).toBeNull();
    expect(merge.requirement).toMatch(/^outputs /);
  });
});
