/**
 * Every model of the zoo loads through the safe loader (no false refusal
 * from its name, class, depth or size checks), predicts identically after a
 * save/load round trip, and the parameter estimate stays a lower bound.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildZooModel, ZOO_MODELS } from '../zoo/index.js';
import { loadModel } from './load_model.js';
import { estimateParameters } from './param_estimate.js';

describe('the zoo through loadModel', () => {
  it.each(ZOO_MODELS.map((m) => [m.id, m] as const))('%s', async (_id, entry) => {
    const inputShape = entry.small.inputShape!;
    const model = buildZooModel(entry, entry.small);
    let saved!: tf.io.ModelArtifacts;
    await model.save(
      tf.io.withSaveHandler(
        (a) => ((saved = a), Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
      ),
    );
    expect(estimateParameters(saved.modelTopology)).toBeLessThanOrEqual(model.countParams());
    const before = tf.memory().numTensors;
    const loaded = await loadModel(saved);
    expect(tf.memory().numTensors - before).toBe(loaded.weights.length);
    const x = tf.randomNormal([2, ...inputShape]);
    const same = tf.tidy(
      () =>
        tf
          .equal(model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)
          .all()
          .dataSync()[0],
    );
    expect(same).toBe(1);
    tf.dispose(x);
    loaded.dispose();
    model.dispose();
  });
});
