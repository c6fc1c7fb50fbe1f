import { describe, expect, it } from 'vitest';
import { mainJobRows, mainJobTable, trainingRun } from './main_job_report.js';

describe('the main job report', () => {
  it('counts images per second over all epochs and after the first', () => {
    const run = trainingRun(1, 6000, [12, 10, 10]);
    expect(run.imagesPerSecond).toBe(18000 / 32);
    expect(run.steadyImagesPerSecond).toBe(600);
    expect(trainingRun(1, 6000, [12]).steadyImagesPerSecond).toBeUndefined();
    expect(() => trainingRun(1, 6000, [12, 0])).toThrow('received [12, 0]');
  });

  it('divides Keras by tfjs-skip at each thread count and scales each from one thread', () => {
    const tfjs = [trainingRun(1, 6000, [10, 10]), trainingRun(2, 6000, [8, 8])];
    const keras = [trainingRun(1, 6000, [9, 5]), trainingRun(2, 6000, [6, 2.5])];
    const [one, two] = mainJobRows([1, 2], { wasm: tfjs }, keras);
    expect([one.backend, two.backend]).toEqual(['wasm', 'wasm']);
    expect(one.ratio).toBeCloseTo(20 / 14, 12);
    expect(one.withinTarget).toBe(false);
    expect(one.steadyRatio).toBe(2);
    expect(one.tfjsScaling).toBeUndefined();
    expect(two.ratio).toBeCloseTo(16 / 8.5, 12);
    expect(two.tfjsScaling!.speedup).toBeCloseTo(20 / 16, 12);
    expect(two.kerasScaling!.speedup).toBeCloseTo(14 / 8.5, 12);
  });

  it('leaves a side that did not run empty, and says whether the target is met', () => {
    const [row] = mainJobRows([2], { wasm: [trainingRun(2, 6000, [10])] }, []);
    expect(row.ratio).toBeUndefined();
    const [met] = mainJobRows([1], { wasm: [trainingRun(1, 100, [1])] }, [trainingRun(1, 100, [0.9])]);
    expect(met.withinTarget).toBe(true);
    const table = mainJobTable([row, met]);
    expect(table).toContain('| 2 | wasm | 600 | — | — |');
    expect(table).toContain('1.11x (within ≤ 1.25x)');
  });

  it('puts each backend beside Keras at each thread count, each with its ratio and its own 1 -> N', () => {
    const onednn = [trainingRun(1, 6000, [4, 4]), trainingRun(2, 6000, [2.5, 2.5])];
    const wasm = [trainingRun(1, 6000, [10, 10]), trainingRun(2, 6000, [8, 8])];
    const keras = [trainingRun(1, 6000, [5, 5]), trainingRun(2, 6000, [3, 3])];
    const rows = mainJobRows([1, 2], { onednn, wasm }, keras);
    expect(rows.map((r) => `${r.threads} ${r.backend}`)).toEqual(['1 onednn', '1 wasm', '2 onednn', '2 wasm']);
    [0.8, 2, 2.5 / 3, 8 / 3].forEach((ratio, i) => expect(rows[i].ratio).toBeCloseTo(ratio, 12));
    expect(rows.map((r) => r.withinTarget)).toEqual([true, false, true, false]);
    expect(rows[2].tfjsScaling!.speedup).toBeCloseTo(4 / 2.5, 12);
    expect(rows[3].tfjsScaling!.speedup).toBeCloseTo(10 / 8, 12);
    expect(rows[3].kerasScaling!.speedup).toBeCloseTo(5 / 3, 12);
    const lines = mainJobTable(rows).split('\n');
    expect(lines).toHaveLength(6);
    expect(lines[2]).toMatch(
      /^\| 1 \| onednn \| 1500 \| 1200 \| 0\.80x \(within ≤ 1\.00x\) \| 1500 \| 1200 \| 0\.80x \|/,
    );
    expect(lines[5]).toMatch(/^\| 2 \| wasm \| 750 \| 2000 \| 2\.67x \(outside ≤ 1\.25x\) \|/);
  });

  it("holds onednn to Keras's speed and wasm to 1.25x of it", () => {
    const slower = [trainingRun(1, 1000, [1.1])];
    const rows = mainJobRows([1], { onednn: slower, wasm: slower, cpu: slower }, [trainingRun(1, 1000, [1])]);
    expect(rows.map((r) => [r.backend, r.withinTarget])).toEqual([
      ['onednn', false],
      ['wasm', true],
      ['cpu', true],
    ]);
    expect(mainJobTable(rows)).toContain('| 1 | onednn | 909 | 1000 | 1.10x (outside ≤ 1.00x) |');
  });
});
