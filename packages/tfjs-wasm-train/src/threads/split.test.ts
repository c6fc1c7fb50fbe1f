import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slices } from './split.js';

describe('slices', () => {
  it('cuts n items into contiguous, non-empty slices that differ by at most one, covering each once', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 16 }), (n, parts) => {
        const cut = slices(n, parts);
        expect(cut.length).toBe(Math.max(1, Math.min(parts, n)));
        let next = 0;
        for (const [start, count] of cut) {
          expect(start).toBe(next);
          next += count;
        }
        expect(next).toBe(n);
        const counts = cut.map(([, c]) => c);
        expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
        if (n > 0) expect(Math.min(...counts)).toBeGreaterThan(0);
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
