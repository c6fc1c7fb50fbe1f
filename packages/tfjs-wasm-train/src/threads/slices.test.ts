import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slices } from './slices.js';

describe('slices', () => {
  it('cuts items into contiguous, non-empty slices that differ by at most one, covering each once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 16 }), (items, parts) => {
        const cut = slices(items, parts);
        expect(cut.length).toBe(Math.max(1, Math.min(parts, items)));
        let next = 0;
        for (const [start, count] of cut) {
          expect(start).toBe(next);
          next += count;
        }
        expect(next).toBe(items);
        const counts = cut.map(([, c]) => c);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        if (items > 0) expect(Math.min(...counts)).toBeGreaterThan(0);
      }),
    );
  });

  it('gives the longer slices first', () => {
    expect(slices(7, 3)).toEqual([
      [0, 3],
      [3, 2],
      [5, 2],
    ]);
    expect(slices(1, 4)).toEqual([[0, 1]]);
  });
});
