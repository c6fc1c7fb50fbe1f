import * as tf from '@tensorflow/tfjs';
import { batchNormalization, MOVING_AVERAGES } from 'tfjs-skip';
import { beforeAll, describe, expect, it } from 'vitest';
import { onednnProblem } from '../index.js';
import { expectClose, onBoth, seeded } from '../testing.js';

beforeAll(() => {
  expect(onednnProblem()).toBeNull();
});

describe('BatchNormalization moving averages on onednn: one native kernel', () => {
  it.each([0.99, 0.9, 0.5])(
    "computes tfjs-layers' update with its float32 order of operations, exactly as the cpu backend's ops (momentum %s)",
    async (momentum) => {
      const decay = 1 - momentum;
      const [movingMean, movingVariance, mean, variance] = [1, 2, 3, 4].map((i) => tf.mul(seeded([37], i), 3));
      const composite = () =>
        [movingMean, movingVariance].map((current, i) =>
          tf.sub(current!, tf.mul(tf.sub(current!, i === 0 ? mean! : variance!), decay)),
        );
      const { cpu } = await onBoth(composite);
      await tf.setBackend('onednn');
      const native = tf.engine().runKernel(MOVING_AVERAGES, { movingMean, movingVariance, mean, variance }, { decay });
      expect((native as tf.Tensor[]).map((t) => t.dataSync())).toEqual(cpu);
      tf.dispose([movingMean!, movingVariance!, mean!, variance!, ...(native as tf.Tensor[])]);
    },
  );

  it("moves a training layer's statistics as on the cpu backend", async () => {
    const train = () => {
      const layer = batchNormalization({ momentum: 0.9 });
      layer.apply(tf.input({ shape: [4, 4, 6] }));
      for (let i = 0; i < 3; i++)
        tf.dispose(layer.apply(tf.mul(seeded([5, 4, 4, 6], 30 + i), 3), { training: true }) as tf.Tensor);
      const moving = layer
        .getWeights()
        .slice(2)
        .map((w) => w.clone());
      layer.dispose();
      return moving;
    };
    const { cpu, onednn } = await onBoth(train);
    onednn.forEach((values, i) => expectClose(values, cpu[i]!, 1e-6, i === 0 ? 'moving mean' : 'moving variance'));
    expect(
      Array.from(cpu[0]!).some((v) => Math.abs(v) > 1e-3),
      'the moving mean moved from 0',
    ).toBe(true);
  });

  it('runs once a training call, in place of six element-wise kernels', async () => {
    await tf.setBackend('onednn');
    const layer = batchNormalization();
    layer.apply(tf.input({ shape: [3, 3, 4] }));
    const x = seeded([2, 3, 3, 4], 3);
    const { kernels } = await tf.profile(() => tf.dispose(layer.apply(x, { training: true }) as tf.Tensor));
    const names = kernels.map((k) => k.name);
    expect(names.filter((n) => n === MOVING_AVERAGES)).toHaveLength(1);
    expect(names.filter((n) => n === 'Sub' || n === 'Multiply')).toEqual([]);
    tf.dispose(x);
    layer.dispose();
  });

  it('refuses statistics that do not match, saying what it got', async () => {
    await tf.setBackend('onednn');
    const [a, b] = [tf.zeros([4]), tf.zeros([5])];
    expect(() =>
      tf
        .engine()
        .runKernel(MOVING_AVERAGES, { movingMean: a, movingVariance: a, mean: a, variance: b }, { decay: 0.1 }),
    ).toThrow(`${MOVING_AVERAGES}: expected four float32 vectors of the 4 channels; 'variance' is float32 [5].`);
    tf.dispose([a, b]);
  });
});
