import * as tf from '@tensorflow/tfjs';
import { syntheticDataset, toBatch } from 'tfjs-skip-data';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateAsync } from './evaluate.js';
import { softmaxCrossEntropy } from './loss.js';
import { trainableVariables } from './step.js';

/** 50 images of 4x4 in 3 classes: batches of 16 leave a last one of 2. */
const data = syntheticDataset({ count: 50, height: 4, width: 4, classes: 3 });

function logitsNet(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.flatten({ inputShape: [4, 4, 1] }), tf.layers.dense({ units: 3 })],
  });
  trainableVariables(model).forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', i + 1)));
  return model;
}

describe('evaluate and evaluateAsync', () => {
  it('give the mean cross-entropy and the accuracy over every example, in any batch size', async () => {
    const model = logitsNet();
    const { xs, ys } = toBatch(
      data,
      Uint32Array.from({ length: data.count }, (_, i) => i),
    );
    const [loss, predicted] = tf.tidy(() => {
      const logits = model.predict(xs) as tf.Tensor2D;
      return [softmaxCrossEntropy(logits, ys).dataSync()[0]!, Array.from(tf.argMax(logits, -1).dataSync())];
    });
    const accuracy = predicted.filter((p, i) => p === data.labels[i]).length / data.count;
    tf.dispose([xs, ys]);
    for (const batchSize of [16, 50, 256]) {
      const sync = evaluate(model, data, batchSize);
      expect(sync.accuracy).toBe(accuracy);
      expect(sync.loss).toBeCloseTo(loss!, 5);
      expect(await evaluateAsync(model, data, batchSize)).toEqual(sync);
    }
    model.dispose();
  });

  it('leave no tensor behind', async () => {
    const model = logitsNet();
    const before = tf.memory().numTensors;
    evaluate(model, data, 16);
    await evaluateAsync(model, data, 16);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
