import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../../skip_connection.js';
import { predictionDiff, roundsTo, saveAndLoad, trainableParams, trainStep } from '../model_checks.test_support.js';
import { denseNet } from '../index.js';

describe('denseNet, Huang et al. 2017 Table 2 (CIFAR)', () => {
  it('L=40, k=12: 1.0M parameters (1,019,722 trainable; 1,037,818 with BatchNorm statistics)', () => {
    const model = denseNet({ depth: 40, growthRate: 12 });
    expect(roundsTo(trainableParams(model), '1.0M')).toBe(true);
    expect(trainableParams(model)).toBe(1_019_722);
    expect(model.countParams()).toBe(1_037_818);
    expect(model.layers.filter((l) => l instanceof SkipConnection)).toHaveLength(36);
    expect(model.outputShape).toEqual([null, 10]);
  });

  it('DenseNet-BC L=100, k=12: 0.8M parameters (769,162 trainable; 793,150 with BatchNorm statistics)', () => {
    const model = denseNet({ depth: 100, growthRate: 12, bottleneck: true, compression: 0.5 });
    expect(roundsTo(trainableParams(model), '0.8M')).toBe(true);
    expect(trainableParams(model)).toBe(769_162);
    expect(model.countParams()).toBe(793_150);
    expect(model.layers.filter((l) => l instanceof SkipConnection)).toHaveLength(48);
  });

  it('grows k channels per layer and compresses at transitions', () => {
    const model = denseNet({ depth: 16, growthRate: 4, bottleneck: true, compression: 0.5, inputShape: [8, 8, 3] });
    const shapes = model.layers.filter((l) => l instanceof SkipConnection).map((l) => (l.outputShape as number[])[3]);
    // 2k = 8 in; blocks of 2 layers: 8 → 12 → 16, compressed to 8 → 12 → 16 → 8 → 12 → 16
    expect(shapes).toEqual([12, 16, 12, 16, 12, 16]);
  });

  it('rejects depths that do not split into three equal blocks', () => {
    expect(() => denseNet({ depth: 41 })).toThrow(/denseNet depth must be 3n \+ 4 .*received 41/);
    expect(() => denseNet({ depth: 43, bottleneck: true })).toThrow(/6n \+ 4 with bottleneck.*received 43/);
    expect(() => denseNet({ depth: 40, compression: 0 })).toThrow(/compression must be in \(0, 1\], but received 0/);
  });

  it.each([
    ['DenseNet L=40, k=12', { depth: 40, growthRate: 12 }],
    ['DenseNet-BC L=100, k=12', { depth: 100, growthRate: 12, bottleneck: true, compression: 0.5 }],
  ] as const)('%s trains one step on an 8x8 image and predicts identically after save/load', async (_name, args) => {
    const model = denseNet({ ...args, inputShape: [8, 8, 3], classes: 5 });
    const x = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 4);
    const step = await trainStep(model, x);
    expect(Number.isFinite(step.loss)).toBe(true);
    expect(step.changed).toBeGreaterThan(step.total / 2);
    const loaded = await saveAndLoad(model);
    expect(predictionDiff(model, loaded, x)).toBe(0);
    loaded.dispose();
  });
});
