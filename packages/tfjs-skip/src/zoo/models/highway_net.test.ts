import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Highway } from '../../blocks/highway.js';
import { predictionDiff, saveAndLoad, trainStep } from '../model_checks.test_support.js';
import { highwayNet } from '../index.js';

describe('highwayNet (Srivastava et al. 2015)', () => {
  it('flattens the input, projects to units, stacks depth highway layers', () => {
    const model = highwayNet();
    expect(model.layers.filter((l) => l instanceof Highway)).toHaveLength(10);
    // dense 3072→50, 10 highway layers of 2·(50·50 + 50), dense 50→10
    expect(model.countParams()).toBe(3072 * 50 + 50 + 10 * 2 * (50 * 50 + 50) + 50 * 10 + 10);
    expect(model.countParams()).toBe(205_160);
    expect(model.outputShape).toEqual([null, 10]);
  });

  it('takes a flat input and a depth of 50', () => {
    const model = highwayNet({ inputShape: [784], units: 71, depth: 50, classes: 10 });
    expect(model.layers.filter((l) => l instanceof Highway)).toHaveLength(50);
    expect(model.countParams()).toBe(784 * 71 + 71 + 50 * 2 * (71 * 71 + 71) + 71 * 10 + 10);
  });

  it('trains one step and predicts identically after save/load', async () => {
    const model = highwayNet({ inputShape: [8, 8, 3], depth: 20, units: 16, classes: 4 });
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 6);
    const step = await trainStep(model, x);
    expect(Number.isFinite(step.loss)).toBe(true);
    expect(step.changed).toBe(step.total);
    const loaded = await saveAndLoad(model);
    expect(predictionDiff(model, loaded, x)).toBe(0);
  });

  it('refuses a non-integer depth, quoting it', () => {
    expect(() => highwayNet({ depth: 2.5 })).toThrow(/highwayNet depth must be a positive integer, but received 2.5/);
  });
});
