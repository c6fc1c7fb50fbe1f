import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { trainableVariables } from '../train/step.js';
import { applyDecoupledDecay, decayedVariables, withL2Gradients } from './weight-decay.js';

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
    expect(short(decayedVariables(vars, { rate: 1e-4, mode: 'l2', includeBnAndBias: false }))).toEqual(['kernel', 'kernel']);
    expect(short(decayedVariables(vars, { rate: 1e-4, mode: 'l2', includeBnAndBias: true }))).toEqual(['kernel', 'bias', 'gamma', 'beta', 'kernel', 'bias']);
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
      expect(Array.from((out[v.name] as tf.Tensor).dataSync())).toEqual(Array.from(expected.dataSync()));
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
