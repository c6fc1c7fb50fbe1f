import * as tf from '@tensorflow/tfjs';
import { resNet } from 'tfjs-skip';
import { beforeAll, describe, expect, it } from 'vitest';
import { onednnProblem } from '../index.js';
import { expectClose, onBoth, seeded } from '../testing.js';

beforeAll(() => {
  expect(onednnProblem()).toBeNull();
});

/** ResNet-8 with seeded weights and moving statistics away from 0 and 1, so that folding them changes something. */
function model(seed: number): tf.Sequential {
  const m = resNet({ depth: 8, inputShape: [8, 8, 3], classes: 4 });
  tf.tidy(() =>
    m.setWeights(
      m.weights.map((w, i) => {
        const values = seeded(w.shape as number[], seed + i);
        return w.name.includes('variance') ? tf.add(tf.abs(values), 0.5) : tf.mul(values, 0.5);
      }),
    ),
  );
  return m;
}

describe('conv → batch norm (→ ReLU) at inference on onednn: one FusedConv2D, the batch norm folded in', () => {
  it('predicts as the cpu backend does, and runs no batch norm kernel inside the blocks', async () => {
    const predict = () => {
      const m = model(10);
      const y = m.predict(seeded([6, 8, 8, 3], 9)) as tf.Tensor;
      m.dispose();
      return y;
    };
    await tf.setBackend('onednn');
    const { kernels } = await tf.profile(() => tf.dispose(tf.tidy(predict)));
    const names = kernels.map((k) => k.name);
    // The stem's batch norm is a layer of the Sequential; the six of the blocks are folded.
    expect(names.filter((k) => k === 'FusedBatchNorm')).toHaveLength(1);
    expect(names.filter((k) => k === 'FusedConv2D').length).toBeGreaterThanOrEqual(6);
    const { cpu, onednn } = await onBoth(predict);
    expectClose(onednn[0]!, cpu[0]!, 1e-4, 'predictions');
  });

  it('folds again after the weights change (setWeights, a training step)', async () => {
    await tf.setBackend('onednn');
    const m = model(10);
    const x = seeded([6, 8, 8, 3], 9);
    const before = (m.predict(x) as tf.Tensor).dataSync().slice();
    const other = model(30);
    m.setWeights(other.getWeights());
    other.dispose();
    const after = (m.predict(x) as tf.Tensor).dataSync().slice();
    await tf.setBackend('cpu');
    const expected = (m.predict(x) as tf.Tensor).dataSync().slice();
    expect(Math.max(...after.map((v, i) => Math.abs(v - before[i]!)))).toBeGreaterThan(1e-3);
    expectClose(after, expected, 1e-4, 'predictions after setWeights');
    m.dispose();
  });

  it('does not fold while a gradient is recorded: the gradient reaches gamma, as on cpu', async () => {
    const gradient = () => {
      const m = model(10);
      const x = seeded([6, 8, 8, 3], 9);
      const gammas = m.trainableWeights
        .filter((w) => w.name.includes('gamma'))
        .map((w) => (w as unknown as { read(): tf.Variable }).read());
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(m.apply(x, { training: false }) as tf.Tensor)), gammas);
      m.dispose();
      return gammas.map((g) => grads[g.name]!);
    };
    const { cpu, onednn } = await onBoth(gradient);
    expect(onednn).toHaveLength(7);
    cpu.forEach((values, i) => {
      expect(values.some((v) => v !== 0)).toBe(true);
      expectClose(onednn[i]!, values, 2e-3, `gamma gradient ${i}`);
    });
  });
});
