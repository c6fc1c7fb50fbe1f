import * as tf from '@tensorflow/tfjs';
import { runModel, SkipConnection } from 'tfjs-skip';
import { beforeAll, describe, expect, it } from 'vitest';
import { RELU_BIAS_GRAD } from 'tfjs-skip/kernel-names';
import { onednnProblem } from '../index.js';
import { RELU_GRAD } from './relu_grad.js';
import { expectClose, onBoth, seeded } from '../testing.js';

beforeAll(() => {
  expect(onednnProblem()).toBeNull();
});

/** Convs with a ReLU activation, in the Sequential and in a SkipConnection, as the toy ResNet has them. */
function model(): tf.Sequential {
  const conv = (filters: number, padding: 'same' | 'valid', inputShape?: number[]) =>
    tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu', padding, ...(inputShape && { inputShape }) });
  return tf.sequential({
    layers: [
      conv(6, 'valid', [10, 10, 3]),
      conv(8, 'valid'),
      new SkipConnection({ mainPath: [conv(8, 'same'), conv(8, 'same')] }),
      tf.layers.globalAveragePooling2d({}),
      tf.layers.dense({ units: 4 }),
    ],
  });
}

describe('conv → bias → ReLU in training on onednn: one FusedConv2D, one pass for the ReLU and bias gradients', () => {
  it('trains as the cpu backend does through the layers: loss and every gradient', async () => {
    const step = () => {
      const m = model();
      m.setWeights(m.weights.map((w, i) => tf.mul(seeded(w.shape as number[], 10 + i), 0.4)));
      const x = seeded([5, 10, 10, 3], 9);
      const variables = m.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(runModel(m, x, true))), variables);
      m.dispose();
      return [value, ...variables.map((v) => grads[v.name]!)];
    };
    await tf.setBackend('onednn');
    const { kernels } = await tf.profile(() => tf.dispose(tf.tidy(step)));
    const names = kernels.map((k) => k.name);
    // Four convs, each one FusedConv2D forward; no separate bias add or ReLU on their outputs; no gradient to the
    // images.
    expect(names.filter((k) => k === 'FusedConv2D')).toHaveLength(4);
    expect(names.filter((k) => k === 'Conv2D' || k === 'Relu')).toEqual([]);
    expect(names.filter((k) => k === 'Conv2DBackpropInput')).toHaveLength(3);
    // Each conv's ReLU gradient and bias gradient in one pass.
    expect(names.filter((k) => k === RELU_BIAS_GRAD)).toHaveLength(4);
    expect(names.filter((k) => k === RELU_GRAD)).toEqual([]);
    const { cpu, onednn } = await onBoth(step);
    expect(onednn).toHaveLength(11);
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 2e-3, `output ${i}`));
  });
});
