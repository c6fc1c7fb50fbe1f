import * as tf from '@tensorflow/tfjs';
import { MOMENTUM_UPDATE, MOMENTUM_UPDATES, Momentum } from 'tfjs-skip-train/recipes';
import { beforeAll, describe, expect, it } from 'vitest';
import { onednnProblem } from '../index.js';
import { seeded } from '../testing.js';

beforeAll(() => {
  expect(onednnProblem()).toBeNull();
});

const SHAPES = [[3, 3, 2, 4], [4], [7, 5]];

/** Weights and accumulations after three steps of `optimizer` on `backend`, from the same start and gradients. */
async function train(backend: string, optimizer: () => tf.MomentumOptimizer): Promise<Float32Array[]> {
  await tf.setBackend(backend);
  const variables = SHAPES.map((shape, i) => tf.variable(seeded(shape, 1 + i), true, `w${i}_${backend}`));
  const opt = optimizer();
  for (let step = 0; step < 3; step++) {
    const grads = variables.map((v, i) => ({ name: v.name, tensor: seeded(v.shape, 10 * step + i + 5) }));
    opt.applyGradients(grads);
    tf.dispose(grads.map((g) => g.tensor));
  }
  const weights = await opt.getWeights();
  const values = [...variables, ...weights.slice(1).map((w) => w.tensor)].map((t) => Float32Array.from(t.dataSync()));
  tf.dispose(variables);
  opt.dispose();
  return values;
}

describe("Momentum on onednn: a step's updates in one kernel call", () => {
  it.each([false, true])(
    "moves every variable and accumulation as TF.js's MomentumOptimizer on cpu (nesterov %s)",
    async (nesterov) => {
      const reference = await train('cpu', () => tf.train.momentum(0.1, 0.9, nesterov));
      const ours = await train('onednn', () => new Momentum(0.1, 0.9, nesterov));
      expect(ours).toHaveLength(2 * SHAPES.length);
      expect(ours).toEqual(reference);
    },
  );

  it('makes one kernel call a step, not one a variable', async () => {
    await tf.setBackend('onednn');
    const variables = SHAPES.map((shape, i) => tf.variable(seeded(shape, i)));
    const grads = variables.map((v, i) => ({ name: v.name, tensor: seeded(v.shape, 7 + i) }));
    const optimizer = new Momentum(0.1, 0.9);
    const { kernels } = await tf.profile(() => optimizer.applyGradients(grads));
    const names = kernels.map((k) => k.name);
    expect(names.filter((n) => n === MOMENTUM_UPDATES)).toHaveLength(1);
    expect(names).not.toContain(MOMENTUM_UPDATE);
    tf.dispose([...variables, ...grads.map((g) => g.tensor)]);
    optimizer.dispose();
  });

  it('refuses inputs that do not match its count, saying what it got', async () => {
    await tf.setBackend('onednn');
    const t = tf.zeros([2]);
    const attrs = { learningRate: 0.1, momentum: 0.9, useNesterov: false };
    expect(() =>
      tf.engine().runKernel(MOMENTUM_UPDATES, { value0: t, accumulation0: t, gradient0: t }, { ...attrs, count: 2 }),
    ).toThrow(
      `${MOMENTUM_UPDATES}: expected value, accumulation and gradient inputs for each of count variables; ` +
        'received count 2 and 3 inputs.',
    );
    const wrong = tf.zeros([3]);
    expect(() =>
      tf
        .engine()
        .runKernel(MOMENTUM_UPDATES, { value0: t, accumulation0: t, gradient0: wrong }, { ...attrs, count: 1 }),
    ).toThrow(/variable 0.*'gradient' is float32 \[3\]/);
    tf.dispose([t, wrong]);
  });
});
