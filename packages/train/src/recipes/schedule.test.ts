import { describe, expect, it } from 'vitest';
import { learningRateAt, type ScheduleSpec } from './schedule.js';

const base: ScheduleSpec = {
  kind: 'constant',
  baseRate: 0.1,
  totalSteps: 1000,
  warmupSteps: 0,
  milestones: [],
  gamma: 0.1,
};

describe('learningRateAt', () => {
  it('constant: the base rate at every step', () => {
    for (const step of [0, 1, 500, 999]) expect(learningRateAt(base, step)).toBe(0.1);
  });

  it('linear warm-up: base * (step + 1) / warmupSteps, then the schedule', () => {
    const spec = { ...base, warmupSteps: 10 };
    expect(learningRateAt(spec, 0)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(spec, 4)).toBeCloseTo(0.05, 12);
    expect(learningRateAt(spec, 9)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(spec, 10)).toBe(0.1);
    expect(learningRateAt({ ...spec, kind: 'cosine' }, 5)).toBeCloseTo(0.06, 12);
  });

  it('step: multiplied by gamma at each milestone (He et al.: 0.1, 0.01, 0.001)', () => {
    const spec: ScheduleSpec = { ...base, kind: 'step', milestones: [500, 750] };
    expect(learningRateAt(spec, 0)).toBe(0.1);
    expect(learningRateAt(spec, 499)).toBe(0.1);
    expect(learningRateAt(spec, 500)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(spec, 749)).toBeCloseTo(0.01, 12);
    expect(learningRateAt(spec, 750)).toBeCloseTo(0.001, 12);
    expect(learningRateAt({ ...spec, gamma: 0.5 }, 999)).toBeCloseTo(0.025, 12);
  });

  it('cosine: base * (1 + cos(pi t)) / 2 after the warm-up', () => {
    const spec: ScheduleSpec = { ...base, kind: 'cosine', warmupSteps: 100 };
    expect(learningRateAt(spec, 100)).toBeCloseTo(0.1, 12);
    expect(learningRateAt(spec, 550)).toBeCloseTo(0.05, 12); // t = 1/2
    expect(learningRateAt(spec, 325)).toBeCloseTo((0.1 * (1 + Math.cos(Math.PI / 4))) / 2, 12); // t = 1/4
    expect(learningRateAt(spec, 1000)).toBeCloseTo(0, 12);
  });

  it('one-cycle: linear rise from base/25 over the warm-up, cosine down to base/25e4 at the last step', () => {
    const spec: ScheduleSpec = { ...base, kind: 'one-cycle', baseRate: 0.5, warmupSteps: 300 };
    expect(learningRateAt(spec, 0)).toBeCloseTo(0.02, 12);
    expect(learningRateAt(spec, 150)).toBeCloseTo(0.02 + 0.48 / 2, 12);
    expect(learningRateAt(spec, 300)).toBeCloseTo(0.5, 12);
    const end = 0.5 / 25e4;
    expect(learningRateAt(spec, 300 + 699 / 2)).toBeCloseTo(end + (0.5 - end) / 2, 12);
    expect(learningRateAt(spec, 999)).toBeCloseTo(end, 15);
  });
});
