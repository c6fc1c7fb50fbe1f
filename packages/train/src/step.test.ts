import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from './loss.js';
import { trainableVariables, trainStep, trainStepAsync } from './step.js';

/** A small logits model with fixed weights: the same model every time it is built. */
function logitsNet(): tf.Sequential {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [4], units: 6, activation: 'relu' }), tf.layers.dense({ units: 3 })],
  });
  trainableVariables(model).forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 1, 'float32', i + 1)));
  return model;
}

const xs = tf.randomNormal([5, 4], 0, 1, 'float32', 7);
const ys = tf.tensor1d([0, 2, 1, 1, 0], 'int32');

describe('trainStep', () => {
  let model: tf.Sequential | undefined;
  afterEach(() => {
    model?.dispose();
    model = undefined;
  });

  it('reports the softmax cross-entropy of the logits and the right predictions before updating', () => {
    model = logitsNet();
    const logits = model.predict(xs) as tf.Tensor2D;
    const lossBefore = softmaxCrossEntropy(logits, ys).dataSync()[0];
    const right = Array.from(tf.argMax(logits, -1).dataSync()).filter((p, i) => p === ys.dataSync()[i]).length;
    const result = trainStep(model, tf.train.sgd(0.5), xs, ys);
    expect(result.loss).toBeCloseTo(lossBefore, 6);
    expect(result.correct).toBe(right);
    expect(softmaxCrossEntropy(model.predict(xs) as tf.Tensor2D, ys).dataSync()[0]).toBeLessThan(lossBefore);
  });

  it('applies the loss gradients: one SGD step is w - rate * dLoss/dw; inspect sees them by name', () => {
    model = logitsNet();
    const vars = trainableVariables(model);
    const { grads } = tf.variableGrads(
      () => softmaxCrossEntropy(model!.apply(xs, { training: true }) as tf.Tensor, ys),
      vars,
    );
    const expected = vars.map((v) => tf.sub(v, tf.mul(grads[v.name]!, 0.1)));
    const seen: string[] = [];
    trainStep(model, tf.train.sgd(0.1), xs, ys, (g) => seen.push(...Object.keys(g)));
    expect(seen).toEqual(vars.map((v) => v.name));
    vars.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(expected[i]!.dataSync())));
  });

  it('trainStepAsync takes the same step as trainStep, and neither leaves a tensor behind', async () => {
    const [a, b] = [logitsNet(), logitsNet()];
    const [oa, ob] = [tf.train.adam(0.01), tf.train.adam(0.01)];
    trainStep(a, oa, xs, ys); // the optimizers' own variables exist from here on
    await trainStepAsync(b, ob, xs, ys);
    const before = tf.memory().numTensors;
    const sync = trainStep(a, oa, xs, ys, undefined, { labelSmoothing: 0.1, learningRate: 0.005 });
    const async = await trainStepAsync(b, ob, xs, ys, undefined, { labelSmoothing: 0.1, learningRate: 0.005 });
    expect(tf.memory().numTensors).toBe(before);
    expect(async).toEqual(sync);
    expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(
      a.getWeights().map((w) => Array.from(w.dataSync())),
    );
    a.dispose();
    b.dispose();
  });
});
