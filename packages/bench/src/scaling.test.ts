import { describe, expect, it } from 'vitest';
import { amdahlSpeedup, scaling, serialFraction } from './scaling.js';

describe("Amdahl's law", () => {
  it('recovers the serial fraction a speedup was made from', () => {
    for (const s of [0, 0.1, 0.25, 0.5, 1]) {
      for (const n of [2, 4, 16]) expect(serialFraction(amdahlSpeedup(s, n), n)).toBeCloseTo(s, 12);
    }
  });

  it('reads the textbook cases', () => {
    expect(serialFraction(2, 2)).toBe(0); // perfect scaling
    expect(serialFraction(1, 2)).toBe(1); // no gain
    expect(serialFraction(1.6, 2)).toBeCloseTo(0.25, 12); // 2/1.6 - 1 = 0.25
    expect(amdahlSpeedup(0.25, 8)).toBeCloseTo(1 / (0.25 + 0.75 / 8), 12);
    expect(amdahlSpeedup(0, 16)).toBe(16);
    expect(amdahlSpeedup(1, 16)).toBe(1);
  });

  it('clamps superlinear and slower-on-more-cores measurements to [0, 1]', () => {
    expect(serialFraction(2.3, 2)).toBe(0);
    expect(serialFraction(0.8, 2)).toBe(1);
  });

  it('projects from two timings', () => {
    const r = scaling(100, 62.5, 2); // speedup 1.6, serial 0.25
    expect(r.speedup).toBeCloseTo(1.6, 12);
    expect(r.serialFraction).toBeCloseTo(0.25, 12);
    expect(r.projected[8]).toBeCloseTo(1 / (0.25 + 0.75 / 8), 12);
    expect(r.projected[16]).toBeCloseTo(1 / (0.25 + 0.75 / 16), 12);
    expect(r.projected[16]).toBeLessThan(4); // bounded by 1/s
  });

  it('refuses what it cannot read, quoting it', () => {
    expect(() => serialFraction(0, 2)).toThrow('received 0');
    expect(() => serialFraction(1.5, 1)).toThrow('measured on 1 core(s)');
    expect(() => amdahlSpeedup(1.2, 8)).toThrow('serial fraction 1.2');
  });
});
