import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { PROBABILITIES, trainStep } from 'tfjs-skip-train';
import { buildNamedModel } from '../models/registry.js';
import { prepareForTraining } from './compile.js';

describe('prepareForTraining', () => {
  it('gives the saved model a probabilities head and trains the logits under it', () => {
    const model = buildNamedModel('residual-mlp-4', { inputShape: [28, 28, 1], classes: 10 }, 1);
    const logits = prepareForTraining(model, tf.train.adam(1e-3));
    const head = model.layers.at(-1)!;
    expect([head.getClassName(), head.name]).toEqual(['Softmax', PROBABILITIES]);
    expect(logits.outputs[0]).toBe(head.input);

    const xs = tf.randomUniform([8, 28, 28, 1], 0, 1, 'float32', 2);
    const ys = tf.tensor1d([0, 1, 2, 3, 4, 5, 6, 7], 'int32');
    const probs = model.apply(xs, { training: true }) as tf.Tensor2D;
    for (const sum of tf.sum(probs, -1).dataSync()) expect(sum).toBeCloseTo(1, 5);
    // The cross-entropy of the saved model's probabilities is the loss the step minimises on the logits
    // (a step on the probabilities themselves would softmax them twice and report a loss near log 10).
    const crossEntropy = -tf.mean(tf.log(tf.sum(tf.mul(probs, tf.oneHot(ys, 10)), -1))).dataSync()[0];
    const step = trainStep(logits, model.optimizer, xs, ys);
    expect(step.loss).toBeCloseTo(crossEntropy, 4);
    model.dispose();
  });
});
