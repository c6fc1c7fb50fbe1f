import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.js';
import { addProbabilities, logitsOf, PROBABILITIES } from './head.js';
import { trainStep } from './step.js';

function logitsNet(): tf.Sequential {
  return tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 5, activation: 'relu' }), tf.layers.dense({ units: 3 })],
  });
}

/** Saves to memory and loads back, as a file would. */
async function saveAndLoad(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler((a) => {
      saved = a;
      return Promise.resolve({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } });
    }),
  );
  return tf.loadLayersModel(tf.io.fromMemory(saved!));
}

const xs = tf.randomNormal([6, 4], 0, 1, 'float32', 3);

describe('the probabilities head', () => {
  const models: tf.LayersModel[] = [];
  afterEach(() => models.splice(0).forEach((m) => m.dispose()));

  it('makes the model predict probabilities, and logitsOf gives back the logits under it, sharing the weights', () => {
    const model = logitsNet();
    models.push(model);
    const logitsBefore = model.predict(xs) as tf.Tensor2D;
    addProbabilities(model);
    const logits = logitsOf(model);
    expect(model.layers.at(-1)?.name).toBe(PROBABILITIES);
    const probs = model.predict(xs) as tf.Tensor2D;
    for (const sum of tf.sum(probs, -1).dataSync()) expect(sum).toBeCloseTo(1, 6);
    expect(Array.from((logits.predict(xs) as tf.Tensor).dataSync())).toEqual(Array.from(logitsBefore.dataSync()));
    expect(logits.trainableWeights).toEqual(model.trainableWeights);
    trainStep(logits, tf.train.sgd(0.5), xs, tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'));
    const after = logits.predict(xs) as tf.Tensor2D;
    expect(Array.from(after.dataSync())).not.toEqual(Array.from(logitsBefore.dataSync()));
    expect(Array.from((model.predict(xs) as tf.Tensor).dataSync())).toEqual(Array.from(tf.softmax(after).dataSync()));
  });

  it('survives save and load: the loaded model keeps its head and its logits', async () => {
    const model = logitsNet();
    addProbabilities(model);
    const loaded = await saveAndLoad(model);
    models.push(model, loaded);
    expect(loaded.layers.at(-1)?.getClassName()).toBe('Softmax');
    const want = logitsOf(model).predict(xs) as tf.Tensor;
    expect(Array.from((logitsOf(loaded).predict(xs) as tf.Tensor).dataSync())).toEqual(Array.from(want.dataSync()));
  });

  it('leaves a model without the head as it is', () => {
    const model = logitsNet();
    models.push(model);
    expect(logitsOf(model)).toBe(model);
    model.add(tf.layers.softmax({ name: 'other' }));
    expect(logitsOf(model)).toBe(model);
  });

  it('trainStep and evaluate refuse the model with the head, naming the fix', () => {
    const model = logitsNet();
    addProbabilities(model);
    models.push(model);
    const ys = tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32');
    expect(() => trainStep(model, tf.train.sgd(0.1), xs, ys)).toThrow(
      new RegExp(
        'trainStep needs a model that outputs logits, but model ".*" ends in the Softmax layer "probabilities"; ' +
          String.raw`pass logitsOf\(model\)`,
      ),
    );
    const split = {
      images: new Uint8Array(6 * 4),
      labels: new Uint8Array(6),
      count: 6,
      height: 2,
      width: 2,
      channels: 1,
      classes: 3,
      classNames: ['a', 'b', 'c'],
    };
    expect(() => evaluate(model, split)).toThrow(/^evaluate needs a model that outputs logits/);
  });
});
