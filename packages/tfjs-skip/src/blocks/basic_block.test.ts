import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { SkipConnection } from '../skip_connection.js';
import { checkLayerContract } from '../testing/index.js';
import { basicBlock, DropPath, LayerScale, Shortcut, type ResidualBlockArgs } from './index.js';

/** The block's SkipConnection: what the contract checks (a trailing ReLU is a stock layer). */
const skipOf = (args: ResidualBlockArgs) => basicBlock(args)[0] as SkipConnection;
const convBn = (cin: number, cout: number, k: number) => k * k * cin * cout + 4 * cout;

describe('basicBlock', () => {
  it.each([
    ['post-activation, identity shortcut', { filters: 4 }, convBn(4, 4, 3) * 2, 6, 4],
    [
      'post-activation, projection (stride 2, 4 → 8)',
      { filters: 8, strides: 2 },
      convBn(4, 8, 3) + convBn(8, 8, 3) + convBn(4, 8, 1),
      9,
      6,
    ],
    [
      'post-activation, option A shortcut',
      { filters: 8, strides: 2, shortcut: 'zeroPad' },
      convBn(4, 8, 3) + convBn(8, 8, 3),
      6,
      4,
    ],
    [
      'pre-activation, projection',
      { filters: 8, strides: 2, preActivation: true },
      4 * 4 + 9 * 4 * 8 + 4 * 8 + 9 * 8 * 8 + 4 * 8,
      7,
      4,
    ],
    ['drop-path and LayerScale', { filters: 4, dropPathRate: 0.2, layerScale: 0.1 }, convBn(4, 4, 3) * 2 + 4, 7, 4],
    // A zero last gamma makes the branch output beta = 0 in both modes: the block starts as its shortcut.
    ['zero-initialised last gamma', { filters: 4, zeroInitLastGamma: true }, convBn(4, 4, 3) * 2, 6, 4, false],
  ] as const)(
    '%s passes the layer contract',
    async (_name, args, params, trainable, nonTrainable, trainingDiffers: boolean = true) => {
      await checkLayerContract({
        makeLayer: () => skipOf({ ...args }),
        inputShape: [6, 6, 4],
        params,
        trainableWeights: trainable,
        nonTrainableWeights: nonTrainable,
        trainingDiffers,
      });
    },
  );

  it('post-activation ends with a ReLU after the addition; pre-activation does not', () => {
    expect(basicBlock({ filters: 4 }).map((l) => l.getClassName())).toEqual(['SkipConnection', 'ReLU']);
    expect(basicBlock({ filters: 4, preActivation: true }).map((l) => l.getClassName())).toEqual(['SkipConnection']);
    const pre = skipOf({ filters: 4, preActivation: true });
    expect(pre.mainPath.map((l) => l.getClassName())).toEqual([
      'BatchNormalization',
      'ReLU',
      'Conv2D',
      'BatchNormalization',
      'ReLU',
      'Conv2D',
    ]);
  });

  it('cannot be given mismatched paths: the shortcut follows the branch', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.inputLayer({ inputShape: [8, 8, 3] }),
        ...basicBlock({ filters: 16 }),
        ...basicBlock({ filters: 32, strides: 2 }),
        ...basicBlock({ filters: 32 }),
      ],
    });
    expect(model.outputShape).toEqual([null, 4, 4, 32]);
    const shortcuts = model.layers.filter((l) => l instanceof SkipConnection).map((l) => l.skipPath[0] as Shortcut);
    expect(shortcuts.map((s) => s.countParams())).toEqual([3 * 16 + 4 * 16, 16 * 32 + 4 * 32, 0]);
  });

  it('zeroInitLastGamma starts the block as relu(shortcut(x))', () => {
    const [block, relu] = basicBlock({ filters: 3, zeroInitLastGamma: true }) as [SkipConnection, tf.layers.Layer];
    const x = tf.randomNormal([2, 4, 4, 3]);
    const y = relu.apply(block.apply(x, { training: true }), { training: true }) as tf.Tensor;
    expect(tf.max(tf.abs(tf.sub(y, tf.relu(x)))).dataSync()[0]).toBe(0);
  });

  it('puts LayerScale, ReZero and drop-path at the end of the residual branch', () => {
    const tail = (args: ResidualBlockArgs) =>
      skipOf(args)
        .mainPath.slice(-2)
        .map((l) => l.getClassName());
    expect(tail({ filters: 4, layerScale: 1e-4, dropPathRate: 0.1 })).toEqual(['LayerScale', 'DropPath']);
    const rezero = skipOf({ filters: 4, reZero: true }).mainPath.at(-1) as LayerScale;
    expect([rezero.initValue, rezero.perChannel]).toEqual([0, false]);
    expect(skipOf({ filters: 4, dropPathRate: 0.1 }).mainPath.at(-1)).toBeInstanceOf(DropPath);
  });

  it('refuses contradictory or bad options, quoting them', () => {
    expect(() => basicBlock({ filters: 4, preActivation: true, zeroInitLastGamma: true })).toThrow(
      /zeroInitLastGamma with preActivation/,
    );
    expect(() => basicBlock({ filters: 4, layerScale: 0.1, reZero: true })).toThrow(
      /both layerScale \(0.1\) and reZero/,
    );
    expect(() => basicBlock({ filters: 4.5 })).toThrow(
      /basicBlock filters must be a positive integer, but received 4.5/,
    );
    expect(() => basicBlock({ filters: 4, dropPathRate: 1.5 })).toThrow(
      /basicBlock dropPathRate must be a number in \[0, 1\), but received 1.5/,
    );
  });

  it('computes what PyTorch computes for the same block (test/fixtures/resnet-block-bn.json)', () => {
    type Arr = { shape: number[]; data: number[] };
    const f = JSON.parse(
      readFileSync(new URL('../../test/fixtures/resnet-block-bn.json', import.meta.url), 'utf8'),
    ) as { params: number; weights: Arr[]; input: Arr; output: Arr; outputTraining: Arr };
    const model = tf.sequential({ layers: basicBlock({ filters: 8, strides: 2, inputShape: [8, 8, 4] }) });
    expect(model.countParams()).toBe(f.params);
    expect(model.getWeights().map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
    model.setWeights(f.weights.map((w) => tf.tensor(w.data, w.shape)));
    const x = tf.tensor(f.input.data, f.input.shape);
    const diff = (y: tf.Tensor, expected: Arr) =>
      tf.max(tf.abs(tf.sub(y, tf.tensor(expected.data, expected.shape)))).dataSync()[0];
    expect(diff(model.predict(x) as tf.Tensor, f.output)).toBeLessThan(1e-4);
    expect(diff(model.apply(x, { training: true }) as tf.Tensor, f.outputTraining)).toBeLessThan(1e-4);
  });
});
