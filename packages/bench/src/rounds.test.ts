import { describe, expect, it } from 'vitest';
import type { Measurement } from './cases.js';
import { medianRound } from './rounds.js';

const row = (msPerBatch: number, extra: Partial<Measurement> = {}): Measurement =>
  ({
    engine: 'onednn',
    model: 'toy-resnet',
    task: 'train',
    threads: 2,
    batch: 64,
    msPerBatch,
    ...extra,
  }) as Measurement;

describe('medianRound', () => {
  it("keeps the round whose median is the rounds' median, and says every round's", () => {
    const chosen = medianRound([row(60, { maxRssMiB: 1 }), row(50, { maxRssMiB: 2 }), row(55, { maxRssMiB: 3 })]);
    expect(chosen.msPerBatch).toBe(55);
    expect(chosen.maxRssMiB).toBe(3);
    expect(chosen.note).toBe('median of 3 rounds (60.0 / 50.0 / 55.0 ms)');
  });

  it('takes the lower middle of an even count, keeps a note, and leaves a single round as it is', () => {
    const chosen = medianRound([row(70), row(40, { note: 'OMP' }), row(50), row(60)]);
    expect(chosen.msPerBatch).toBe(50);
    expect(medianRound([row(40, { note: 'OMP' }), row(30)]).note).toBe('median of 2 rounds (40.0 / 30.0 ms)');
    expect(medianRound([row(40, { note: 'OMP' }), row(50)]).note).toBe('OMP; median of 2 rounds (40.0 / 50.0 ms)');
    const one = row(45);
    expect(medianRound([one])).toBe(one);
  });

  it('refuses no rounds, and rounds of different rows', () => {
    expect(() => medianRound([])).toThrow(/no measurements/);
    expect(() => medianRound([row(1), row(2, { threads: 1 })])).toThrow(
      /different rows: onednn toy-resnet train 2 64; onednn toy-resnet train 1 64/,
    );
  });
});
