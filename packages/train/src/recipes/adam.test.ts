import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { ADAM_UPDATE, Adam } from './adam.js';

/** A float32 kernel of one Adam update for the cpu backend, composed from cpu ops: what wasm's does in one pass. */
function registerCpuAdamKernel(calls: { count: number }): void {
  tf.registerKernel({
    kernelName: ADAM_UPDATE,
    backendName: 'cpu',
    kernelFunc: ({ inputs, attrs }) => {
      calls.count++;
      const { value, m, v, gradient } = inputs as Record<string, tf.Tensor>;
      const a = attrs as unknown as Record<string, number>;
      const outputs: tf.Tensor[] = tf.tidy(() => {
        const newM = tf.add(tf.mul(m!, a.beta1!), tf.mul(gradient!, 1 - a.beta1!));
        const newV = tf.add(tf.mul(v!, a.beta2!), tf.mul(tf.square(gradient!), 1 - a.beta2!));
        const corrected = tf.sqrt(tf.div(newV, a.oneMinusAccBeta2!));
        const step = tf.div(tf.div(newM, a.oneMinusAccBeta1!), tf.add(corrected, a.epsilon!));
        return [tf.add(tf.mul(step, -a.learningRate!), value!), newM, newV];
      });
      return outputs;
    },
  });
}

/** Three steps of `optimizer` on a small quadratic, from seeded starting values: the variables' values after each. */
function trained(optimizer: tf.Optimizer): number[][] {
  const w = tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', 1), true, `adam_test_w_${Math.random()}`);
  const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 2), true, `adam_test_b_${Math.random()}`);
  const x = tf.randomNormal([4, 5], 0, 1, 'float32', 3);
  const out: number[][] = [];
  for (let step = 0; step < 3; step++) {
    optimizer.minimize(() => tf.sum(tf.square(tf.add(tf.matMul(x, w), b))) as tf.Scalar);
    out.push([...w.dataSync(), ...b.dataSync()]);
  }
  tf.dispose([w, b, x]);
  return out;
}

describe('Adam', () => {
  afterEach(() => {
    if (tf.getKernel(ADAM_UPDATE, 'cpu') !== undefined) tf.unregisterKernel(ADAM_UPDATE, 'cpu');
  });

  it("is TF.js's AdamOptimizer, bit for bit, where the backend has no update kernel", async () => {
    await tf.setBackend('cpu');
    expect(trained(new Adam(0.01, 0.9, 0.999))).toEqual(trained(tf.train.adam(0.01)));
  });

  it('updates each variable with one kernel call where the backend has one, to the same values', async () => {
    await tf.setBackend('cpu');
    const calls = { count: 0 };
    registerCpuAdamKernel(calls);
    const ours = trained(new Adam(0.01, 0.9, 0.999));
    expect(calls.count).toBe(6); // 2 variables, 3 steps
    tf.unregisterKernel(ADAM_UPDATE, 'cpu');
    const stock = trained(tf.train.adam(0.01));
    ours.forEach((values, step) => values.forEach((x, i) => expect(x).toBeCloseTo(stock[step]![i]!, 6)));
  });

  it("saves and loads as TF.js's Adam, and loads back as this class", () => {
    const optimizer = new Adam(0.003, 0.9, 0.999);
    expect(optimizer.getClassName()).toBe('Adam');
    const config = optimizer.getConfig();
    const entry = tf.serialization.SerializationMap.getMap().classNameMap.Adam!;
    const loaded = entry[1](entry[0], config);
    expect(loaded).toBeInstanceOf(Adam);
    expect((loaded as tf.Optimizer).getConfig()).toEqual(config);
  });
});
