import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { trainableVariables, trainStep } from '../step.js';
import { makeOptimizer } from './optimizer.js';
import { applyDecoupledDecay, decayedVariables, withL2Gradients } from './weight_decay.js';

function convBnDense(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 3 }),
      tf.layers.batchNormalization(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
}

describe('weight decay', () => {
  let model: tf.Sequential | undefined;
  afterEach(() => model?.dispose());

  it('excludes BatchNorm gamma and beta and every bias when asked, keeping only kernels', () => {
    model = convBnDense();
    const vars = trainableVariables(model);
    const short = (vs: tf.Variable[]) => vs.map((v) => v.name.split('/').at(-1));
    expect(short(decayedVariables(vars, { rate: 1e-4, mode: 'l2', includeBnAndBias: false }))).toEqual([
      'kernel',
      'kernel',
    ]);
    expect(short(decayedVariables(vars, { rate: 1e-4, mode: 'l2', includeBnAndBias: true }))).toEqual([
      'kernel',
      'bias',
      'gamma',
      'beta',
      'kernel',
      'bias',
    ]);
    expect(decayedVariables(vars, { rate: 0, mode: 'l2', includeBnAndBias: true })).toEqual([]);
  });

  it('l2: adds rate * w to the gradients of the decayed variables only', () => {
    model = convBnDense();
    const vars = trainableVariables(model);
    const grads = Object.fromEntries(vars.map((v) => [v.name, tf.onesLike(v)]));
    const decayed = decayedVariables(vars, { rate: 0.5, mode: 'l2', includeBnAndBias: false });
    const out = withL2Gradients(grads, decayed, 0.5);
    for (const v of vars) {
      const expected = decayed.includes(v) ? tf.add(1, tf.mul(v, 0.5)) : tf.onesLike(v);
      expect(Array.from(out[v.name].dataSync())).toEqual(Array.from(expected.dataSync()));
    }
  });

  it('decoupled: multiplies the decayed variables by 1 - lr * rate and leaves the others alone', () => {
    model = convBnDense();
    const vars = trainableVariables(model);
    vars.forEach((v) => v.assign(tf.fill(v.shape, 2)));
    const decayed = decayedVariables(vars, { rate: 0.1, mode: 'decoupled', includeBnAndBias: false });
    applyDecoupledDecay(decayed, 0.5, 0.1);
    for (const v of vars) {
      const expected = decayed.includes(v) ? Math.fround(2 * Math.fround(0.95)) : 2;
      expect(new Set(v.dataSync())).toEqual(new Set([expected]));
    }
  });
});

describe('weight decay in a training step', () => {
  it(
    'kernels-only decay changes the kernels and leaves BatchNorm parameters and biases ' + 'exactly as plain SGD does',
    () => {
      const xs = tf.randomUniform([4, 4, 4, 1], 0, 1, 'float32', 1);
      const ys = tf.tensor1d([0, 1, 2, 1], 'int32');
      const after = (rate: number, mode: 'l2' | 'decoupled') => {
        const model = convBnDense();
        const vars = trainableVariables(model);
        vars.forEach((v, i) => v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', i + 10)));
        const decay = { variables: decayedVariables(vars, { rate, mode, includeBnAndBias: false }), rate, mode };
        trainStep(
          model,
          makeOptimizer({ optimizer: 'sgd', learningRate: 0.1, momentum: 0, nesterov: false }),
          xs,
          ys,
          undefined,
          { learningRate: 0.1, decay },
        );
        // 'conv2d_Conv2D7/kernel' -> 'conv2d/kernel': the same weight of both builds under one key.
        const key = (v: tf.Variable) =>
          `${(v.name.split('/').at(-2) ?? '').replace(/_[A-Z]\w*?\d+$/, '')}/${v.name.split('/').at(-1)}`;
        const values = Object.fromEntries(vars.map((v) => [key(v), Array.from(v.dataSync())]));
        model.dispose();
        return values;
      };
      for (const mode of ['l2', 'decoupled'] as const) {
        const plain = after(0, mode);
        const decayed = after(0.5, mode);
        expect(Object.keys(plain).sort()).toEqual([
          'batch_normalization/beta',
          'batch_normalization/gamma',
          'conv2d/bias',
          'conv2d/kernel',
          'dense/bias',
          'dense/kernel',
        ]);
        for (const [name, value] of Object.entries(plain)) {
          if (name.endsWith('kernel')) expect(decayed[name], `${mode} ${name}`).not.toEqual(value);
          else expect(decayed[name], `${mode} ${name}`).toEqual(value);
        }
      }
    },
  );
});
