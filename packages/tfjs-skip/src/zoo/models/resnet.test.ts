import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Shortcut } from '../../blocks/shortcut.js';
import { SkipConnection } from '../../skip_connection.js';
import {
  predictionDiff,
  roundsTo,
  saveAndLoad,
  trainableParams,
  trainStep,
  weightsDiff,
} from '../model_checks.test_support.js';
import { plainNet, resNet } from '../index.js';

/**
 * He et al. 2016, Table 6, with what we measure (CIFAR-10, option A
 * shortcuts). The paper counts parameters; BatchNorm moving statistics are
 * buffers, which `countParams()` adds.
 */
const TABLE_6: Array<[depth: number, published: string, trainable: number, countParams: number]> = [
  [20, '0.27M', 269_722, 271_098],
  [32, '0.46M', 464_154, 466_426],
  [44, '0.66M', 658_586, 661_754],
  [56, '0.85M', 853_018, 857_082],
  [110, '1.7M', 1_727_962, 1_736_058],
];

describe('resNet({depth}) and plainNet({depth}), He et al. 2016 Table 6', () => {
  it.each(TABLE_6)('depth %i: %s parameters as published, %i exactly', (depth, published, trainable, all) => {
    const res = resNet({ depth });
    const plain = plainNet({ depth });
    expect(roundsTo(trainableParams(res), published)).toBe(true);
    expect(trainableParams(res)).toBe(trainable);
    expect(res.countParams()).toBe(all);
    // Option A shortcuts are parameter-free: the plain net has the very same count.
    expect(trainableParams(plain)).toBe(trainable);
    expect(plain.countParams()).toBe(all);
    expect(res.outputShape).toEqual([null, 10]);
    expect(res.layers.filter((l) => l instanceof SkipConnection)).toHaveLength((depth - 2) / 2);
    expect(plain.layers.some((l) => l instanceof SkipConnection)).toBe(false);
    // 6n + 2 weighted layers: n blocks of two convs per stage, the stem conv, the dense layer.
    const weighted = (m: tf.LayersModel) => m.weights.filter((w) => w.originalName.endsWith('/kernel')).length;
    expect(weighted(plain)).toBe(depth);
    expect(weighted(res)).toBe(depth);
  });

  it('projection (option B) shortcuts add a 1x1 conv and a BatchNorm at each of the two stage changes', () => {
    const b = resNet({ depth: 20, shortcut: 'projection' });
    expect(trainableParams(b)).toBe(269_722 + (16 * 32 + 2 * 32) + (32 * 64 + 2 * 64));
    expect(trainableParams(b)).toBe(272_474);
    const shortcuts = b.layers.flatMap((l) => (l instanceof SkipConnection ? l.skipPath : [])) as Shortcut[];
    expect(shortcuts.filter((s) => s.countParams() > 0)).toHaveLength(2);
  });

  it('rejects other depths, listing the valid ones', () => {
    expect(() => resNet({ depth: 21 })).toThrow(/resnet depth must be 6n \+ 2 .*20, 32, 44, 56, 110.*received 21/);
    expect(() => plainNet({ depth: 2 })).toThrow(/plainNet depth must be 6n \+ 2.*received 2/);
    expect(() => resNet({} as never)).toThrow(/received undefined/);
  });

  it('takes inputShape and classes', () => {
    expect(resNet({ depth: 20, inputShape: [28, 28, 1], classes: 3 }).outputShape).toEqual([null, 3]);
  });

  it.each([
    ...TABLE_6.map(([depth]) => ['resnet', depth, (d: number) => resNet({ depth: d, inputShape: [8, 8, 3] })] as const),
    ...TABLE_6.map(
      ([depth]) => ['plainNet', depth, (d: number) => plainNet({ depth: d, inputShape: [8, 8, 3] })] as const,
    ),
    [
      'resnet (projection shortcuts)',
      20,
      (d: number) => resNet({ depth: d, inputShape: [8, 8, 3], shortcut: 'projection' }),
    ] as const,
  ])('%s-%i trains one step on an 8x8 image and predicts identically after save/load', async (name, depth, make) => {
    const model = make(depth);
    const x = tf.randomNormal([1, 8, 8, 3], 0, 1, 'float32', 3);
    const step = await trainStep(model, x);
    expect(Number.isFinite(step.loss)).toBe(true);
    expect(step.changed).toBeGreaterThan(step.total / 2);
    const loaded = await saveAndLoad(model);
    expect(loaded.weights.map((w) => w.originalName)).toEqual(model.weights.map((w) => w.originalName));
    expect(weightsDiff(model, loaded)).toBe(0);
    expect(predictionDiff(model, loaded, x, true)).toBe(0);
    // Inference uses the BatchNorm moving statistics, barely moved by one step. On an
    // 8x8 input, 'same' padding shrinks the signal at every 2x2 conv, and without
    // shortcuts a plain net deeper than 44 layers underflows to 0 and then NaN.
    if (name === 'plainNet' && depth > 44) return;
    expect(predictionDiff(model, loaded, x)).toBe(0);
    loaded.dispose();
  });
});
