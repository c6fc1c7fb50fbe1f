import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule.js';
import { recipeText, resolveRecipe, scheduleOf } from './recipe.js';

const TRAIN = { learningRate: 2e-3, batchSize: 64 };
const RUN = { epochs: 20, imageWidth: 28 };

describe('resolveRecipe', () => {
  it('without a recipe or flags: Adam at a constant rate, nothing else (what train did before recipes)', () => {
    const r = resolveRecipe('adam', TRAIN, {}, RUN);
    expect(r).toMatchObject({
      optimizer: 'adam',
      learningRate: 2e-3,
      batchSize: 64,
      schedule: 'constant',
      weightDecay: 0,
      labelSmoothing: 0,
      augment: { crop: 0, flip: false },
      warmupEpochs: 0,
    });
  });

  it('he2016: SGD 0.1, momentum 0.9, L2 1e-4, batch 128, x0.1 at 50% and 75%, crop+flip', () => {
    const r = resolveRecipe('he2016', TRAIN, {}, { epochs: 20, imageWidth: 32 });
    expect(r).toMatchObject({
      optimizer: 'sgd',
      learningRate: 0.1,
      momentum: 0.9,
      nesterov: false,
      weightDecay: 1e-4,
      decayMode: 'l2',
      decayBnBias: true,
      batchSize: 128,
    });
    expect(r.milestones).toEqual([10, 15]);
    expect(r.augment).toEqual({ crop: 4, flip: true });
    const s = scheduleOf(r, 20, 100);
    expect([0, 999, 1000, 1499, 1500, 1999].map((step) => +learningRateAt(s, step).toPrecision(6))).toEqual([
      0.1, 0.1, 0.01, 0.01, 0.001, 0.001,
    ]);
    expect(recipeText(r)).toBe(
      'he2016 recipe: SGD momentum 0.9, rate 0.1 step x0.1 at epochs 10, 15, ' +
        'weight decay 0.0001 (l2), augment crop:4,flip',
    );
  });

  it('explicit flags override the recipe; one-cycle warms up over 30% of the run unless told', () => {
    const r = resolveRecipe('one-cycle', TRAIN, { learningRate: 0.2, augment: 'none', nesterov: undefined }, RUN);
    expect(r).toMatchObject({
      schedule: 'one-cycle',
      learningRate: 0.2,
      nesterov: true,
      augment: { crop: 0, flip: false },
      decayBnBias: false,
    });
    expect(r.warmupEpochs).toBeCloseTo(6, 12);
    expect(resolveRecipe('one-cycle', TRAIN, { warmupEpochs: 2 }, RUN).warmupEpochs).toBe(2);
    expect(resolveRecipe('he2016', TRAIN, { milestones: [3, 7], batchSize: 32 }, RUN)).toMatchObject({
      milestones: [3, 7],
      batchSize: 32,
    });
    // A run of a fraction of epochs (the playground's 60 steps of 47): its milestones said in three decimals.
    const short = resolveRecipe('he2016', TRAIN, {}, { epochs: 60 / 47, imageWidth: 28 });
    expect(short.milestones).toEqual([30 / 47, 45 / 47]);
    expect(recipeText(short)).toMatch(
      /^he2016 recipe: SGD momentum 0\.9, rate 0\.1 step x0\.1 at epochs 0\.638, 0\.957, /,
    );
  });

  it('adamw decays decoupled, 0.01 by default; momentum only means something for sgd', () => {
    expect(resolveRecipe('adam', TRAIN, { optimizer: 'adamw' }, RUN)).toMatchObject({
      weightDecay: 0.01,
      decayMode: 'decoupled',
      momentum: 0,
      nesterov: false,
    });
    expect(resolveRecipe('adam', TRAIN, { optimizer: 'adamw', weightDecay: 0.05 }, RUN)).toMatchObject({
      weightDecay: 0.05,
      decayMode: 'decoupled',
    });
    expect(
      resolveRecipe('adam', TRAIN, { optimizer: 'sgd', decayMode: 'decoupled', weightDecay: 5e-4 }, RUN),
    ).toMatchObject({ decayMode: 'decoupled', momentum: 0.9 });
  });
});
