import { describe, expect, it } from 'vitest';
import { movingAverage } from './moving_average.js';

describe('movingAverage', () => {
  it('averages consecutive windows, placing each at its last x; a short last window averages what it has', () => {
    expect(
      movingAverage(
        [
          [0, 1],
          [1, 3],
          [2, 5],
          [3, 7],
          [4, 10],
        ],
        2,
      ),
    ).toEqual([
      [1, 2],
      [3, 6],
      [4, 10],
    ]);
  });

  it('returns nothing for nothing', () => {
    expect(movingAverage([], 10)).toEqual([]);
  });
});
