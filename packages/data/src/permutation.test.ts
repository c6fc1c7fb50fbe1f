import { describe, expect, it } from 'vitest';
import { permutation } from './permutation.js';

describe('permutation', () => {
  it('holds each of 0..n-1 exactly once', () => {
    const order = permutation(1000, 3);
    expect([...order].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('is the same for a seed and differs across seeds', () => {
    expect(permutation(50, 1)).toEqual(permutation(50, 1));
    expect(permutation(50, 1)).not.toEqual(permutation(50, 2));
  });

  it('actually shuffles: few elements stay in place', () => {
    const order = permutation(1000, 9);
    expect(order.filter((v, i) => v === i).length).toBeLessThan(10);
  });

  it('draws every ordering about equally often (an unbiased Fisher-Yates)', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 6000; seed++) {
      const key = permutation(3, seed).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(150);
  });

  it('handles 0 and 1 elements', () => {
    expect([...permutation(0, 1)]).toEqual([]);
    expect([...permutation(1, 1)]).toEqual([0]);
  });

  it('rejects a bad n or seed, quoting it', () => {
    expect(() => permutation(2.5, 0)).toThrow('permutation: n must be a whole number >= 0, but received 2.5');
    expect(() => permutation(3, Number.NaN)).toThrow('permutation: seed must be an integer, but received NaN');
  });
});
