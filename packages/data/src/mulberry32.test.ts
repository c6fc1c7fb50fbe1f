import { describe, expect, it } from 'vitest';
import { mulberry32 } from './mulberry32.js';

const draw = (seed: number, n: number): number[] => {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => random());
};

describe('mulberry32', () => {
  it('repeats its sequence for a seed, and differs across seeds', () => {
    expect(draw(42, 100)).toEqual(draw(42, 100));
    expect(draw(42, 100)).not.toEqual(draw(43, 100));
    expect(draw(0, 1)).not.toEqual(draw(1, 1));
  });

  it('draws from [0, 1), spread evenly', () => {
    const values = draw(7, 20_000);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    const tenths = new Array<number>(10).fill(0);
    for (const v of values) tenths[Math.floor(v * 10)] += 1;
    for (const n of tenths) expect(Math.abs(n - 2000)).toBeLessThan(200);
  });

  it('treats seeds modulo 2^32, as its uint32 state does', () => {
    expect(draw(-1, 5)).toEqual(draw(2 ** 32 - 1, 5));
  });
});
