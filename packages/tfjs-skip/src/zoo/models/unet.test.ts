import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../../skip_connection.js';
import { predictionDiff, saveAndLoad, trainStep } from '../model_checks.test_support.js';
import { uNet } from '../index.js';

/** The chain of concat SkipConnections nested one inside the other. */
function nestedSkips(layers: readonly tf.layers.Layer[]): SkipConnection[] {
  const skip = layers.find((l): l is SkipConnection => l instanceof SkipConnection);
  return skip ? [skip, ...nestedSkips(skip.mainPath)] : [];
}

describe('unet (Ronneberger et al. 2015)', () => {
  it("outputs per-pixel logits at the input's size, its long skips nested concat SkipConnections", () => {
    const model = uNet();
    expect(model.outputShape).toEqual([null, 32, 32, 10]);
    const skips = nestedSkips(model.layers);
    expect(skips).toHaveLength(3);
    expect(skips.every((s) => s.how === 'concat' && s.skipPath.length === 0)).toBe(true);
    // Each skip concatenates the up-convolution (f channels) with the level's features (f channels).
    expect(skips.map((s) => (s.outputShape as number[]).slice(1))).toEqual([
      [32, 32, 32],
      [16, 16, 64],
      [8, 8, 128],
    ]);
    expect(model.countParams()).toBe(482_186);
  });

  it.each([
    [[64, 48, 1], 2, 4, 2],
    [[16, 16, 3], 8, 2, 1],
  ] as const)('inputShape %j, classes %i, depth %i', (inputShape, classes, depth, expectedSkips) => {
    const model = uNet({ inputShape: [...inputShape], classes, depth: expectedSkips === 1 ? 1 : depth, filters: 4 });
    expect(model.outputShape).toEqual([null, inputShape[0], inputShape[1], classes]);
  });

  it('refuses sizes the down-sampling cannot halve, quoting them', () => {
    expect(() => uNet({ inputShape: [30, 32, 3] })).toThrow(
      /unet with depth 3 needs height and width divisible by 8, but received inputShape \[30,32,3\]/,
    );
  });

  it('trains one step and predicts identically after save/load', async () => {
    const model = uNet({ inputShape: [16, 16, 2], classes: 3, filters: 4, depth: 2 });
    const x = tf.randomNormal([1, 16, 16, 2], 0, 1, 'float32', 8);
    const step = await trainStep(model, x);
    expect(Number.isFinite(step.loss)).toBe(true);
    expect(step.changed).toBeGreaterThan(step.total / 2);
    const loaded = await saveAndLoad(model);
    expect(nestedSkips(loaded.layers)).toHaveLength(2);
    expect(predictionDiff(model, loaded, x)).toBe(0);
  });
});
