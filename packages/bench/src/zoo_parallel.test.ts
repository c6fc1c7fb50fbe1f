import * as tf from '@tensorflow/tfjs';
import { resnet } from 'tfjs-skip/zoo';
import 'tfjs-wasm-train';
import { DataParallelTrainer } from 'tfjs-wasm-train/parallel';
import { describe, expect, it } from 'vitest';

/**
 * The integration the bench relies on: a zoo ResNet (SkipConnection,
 * Shortcut and BatchNorm inside a Sequential) rebuilt in wasm workers through
 * `imports: ['tfjs-skip']`, trained data-parallel.
 */
describe('DataParallelTrainer on a zoo ResNet', () => {
  it('trains ResNet-8 on 2 wasm workers: the loss falls, the replicas hold the trained weights', async () => {
    await tf.setBackend('wasm');
    const model = resnet({ depth: 8, inputShape: [12, 12, 3], classes: 4 });
    const x = tf.randomUniform([16, 12, 12, 3], 0, 1, 'float32', 1);
    const y = tf.tensor1d(
      Array.from({ length: 16 }, (_, i) => i % 4),
      'int32',
    );
    const trainer = await DataParallelTrainer.create({
      model,
      workers: 2,
      backend: 'wasm',
      optimizer: { name: 'adam', learningRate: 0.01 },
      loss: 'softmaxCrossEntropy',
      imports: ['tfjs-skip'],
    });
    try {
      const losses: number[] = [];
      for (let step = 0; step < 12; step++) losses.push((await trainer.step(x, y)).loss);
      expect(losses.every(Number.isFinite)).toBe(true);
      expect(losses.at(-1)).toBeLessThan(0.5 * losses[0]);
      await trainer.sync();
      const replica = await trainer.replicaWeights(1);
      model.getWeights().forEach((w, i) => expect(replica[i]).toEqual(w.dataSync()));
    } finally {
      await trainer.dispose();
    }
  });
});
