import { syntheticDataset } from 'tfjs-skip-data';
import { learningRateAt, RECIPE_NAMES, scheduleOf } from 'tfjs-skip-train';
import { describe, expect, it } from 'vitest';
import { isRecipeName, PAGE_DEFAULTS, recipeFields, resolvePageRun } from './recipe_choice.js';

// The sample's training split in size: 6,000 images of 28x28.
const train = syntheticDataset({ count: 6000, height: 28, width: 28 });

describe('the recipe menu', () => {
  it('takes exactly the names tfjs-skip-train defines', () => {
    for (const name of RECIPE_NAMES) expect(isRecipeName(name)).toBe(true);
    for (const name of ['sgd', 'He2016', '', null]) expect(isRecipeName(name)).toBe(false);
  });

  it("fills the fields with the recipe's rate and batch, the page's own for adam", () => {
    expect(recipeFields('adam')).toEqual(PAGE_DEFAULTS);
    expect(recipeFields('he2016')).toEqual({ learningRate: 0.1, batchSize: 128 });
    expect(recipeFields('one-cycle')).toEqual({ learningRate: 0.2, batchSize: 128 });
  });
});

describe('resolvePageRun', () => {
  it('runs he2016 over the steps asked: SGD, L2, crop and flip, the rate x0.1 at 50% and 75% of them', () => {
    const run = resolvePageRun('he2016', recipeFields('he2016'), 94, train);
    expect(run).toMatchObject({ steps: 94, stepsPerEpoch: 47, epochs: 2 });
    expect(run.recipe).toMatchObject({
      name: 'he2016',
      optimizer: 'sgd',
      momentum: 0.9,
      weightDecay: 1e-4,
      decayMode: 'l2',
      augment: { crop: 2, flip: true },
      milestones: [1, 1.5],
    });
    const schedule = scheduleOf(run.recipe, run.epochs, run.stepsPerEpoch);
    expect(schedule.totalSteps).toBe(94);
    expect([0, 46, 47, 70, 71, 93].map((step) => +learningRateAt(schedule, step).toPrecision(6))).toEqual([
      0.1, 0.1, 0.01, 0.01, 0.001, 0.001,
    ]);
  });

  it('runs one-cycle over the steps asked: up to its peak at 30% of them, then down', () => {
    const run = resolvePageRun('one-cycle', recipeFields('one-cycle'), 150, train);
    expect(run.recipe).toMatchObject({ optimizer: 'sgd', nesterov: true, labelSmoothing: 0.1, decayBnBias: false });
    const schedule = scheduleOf(run.recipe, run.epochs, run.stepsPerEpoch);
    expect(schedule).toMatchObject({ kind: 'one-cycle', baseRate: 0.2, totalSteps: 150, warmupSteps: 45 });
    const rates = Array.from({ length: 150 }, (_, step) => learningRateAt(schedule, step));
    expect(rates.indexOf(Math.max(...rates))).toBe(45);
    expect(rates[0]).toBeCloseTo(0.2 / 25, 12);
    expect(rates[149]).toBeLessThan(1e-5);
  });

  it('lets the fields override the recipe, as flags do on the command line', () => {
    const run = resolvePageRun('he2016', { learningRate: 0.05, batchSize: 100 }, 60, train);
    expect(run.recipe).toMatchObject({ optimizer: 'sgd', learningRate: 0.05, batchSize: 100 });
    expect(run.stepsPerEpoch).toBe(60);
  });

  it('trains adam with the page defaults: Adam at 0.001, constant, nothing else', () => {
    const { recipe } = resolvePageRun('adam', PAGE_DEFAULTS, 150, train);
    expect(recipe).toMatchObject({
      optimizer: 'adam',
      learningRate: 1e-3,
      schedule: 'constant',
      weightDecay: 0,
      augment: { crop: 0, flip: false },
      labelSmoothing: 0,
      batchSize: 64,
    });
  });

  it('refuses a step count that is not a whole number >= 1, quoting it', () => {
    expect(() => resolvePageRun('adam', PAGE_DEFAULTS, 0, train)).toThrow(
      'steps must be a whole number >= 1, but received 0',
    );
    expect(() => resolvePageRun('adam', PAGE_DEFAULTS, 2.5, train)).toThrow('received 2.5');
  });
});
