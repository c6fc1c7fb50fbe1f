import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { softmaxCrossEntropy } from 'tfjs-skip-train';
import { toyResNet } from '../scripts/toy_resnet.js';
import './index.js';
import { expectCloseRelative, useBackend } from './testing/conv_grads.js';

interface Fixture {
  params: number;
  weights: { name: string; shape: number[]; data: number[] }[];
  input: { shape: number[]; data: number[] };
  output: { shape: number[]; data: number[] };
  labels: number[];
  loss: number;
  grads: { name: string; shape: number[]; data: number[] }[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../tfjs-skip/test/fixtures/toy-resnet.json', import.meta.url), 'utf8'),
) as Fixture;

describe('toy ResNet (functional API, tf.layers.add) on wasm against the PyTorch fixture', () => {
  it('matches the fixture logits, loss and every weight gradient', async () => {
    await useBackend('wasm');
    const { model, weighted } = toyResNet();
    expect(model.countParams()).toBe(fixture.params);
    for (let i = 0; i < weighted.length; i++) {
      const [kernel, bias] = [fixture.weights[2 * i], fixture.weights[2 * i + 1]];
      weighted[i].setWeights([tf.tensor(kernel.data, kernel.shape), tf.tensor(bias.data, bias.shape)]);
    }
    const x = tf.tensor(fixture.input.data, fixture.input.shape);
    const labels = tf.tensor1d(fixture.labels, 'int32');
    const logits = model.predict(x) as tf.Tensor;
    expectCloseRelative(await logits.data(), fixture.output.data, 1e-4, 'logits');

    const tensors = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() =>
      softmaxCrossEntropy(model.apply(x, { training: false }) as tf.Tensor, labels),
    );
    expect(value.dataSync()[0]).toBeCloseTo(fixture.loss, 4);
    const byWeight = model.trainableWeights.map((w) => grads[w.originalName]);
    expect(byWeight.length).toBe(fixture.grads.length);
    for (let i = 0; i < fixture.grads.length; i++) {
      expect(byWeight[i].shape, fixture.grads[i].name).toEqual(fixture.grads[i].shape);
      expectCloseRelative(byWeight[i].dataSync(), fixture.grads[i].data, 1e-3, fixture.grads[i].name);
    }
    tf.dispose([value, ...Object.values(grads)]);
    expect(tf.memory().numTensors).toBe(tensors);
    tf.dispose([x, labels, logits]);
    model.dispose();
  });

  it('trains a few steps on wasm with its loss falling and no tensor growth', async () => {
    await useBackend('wasm');
    const { model } = toyResNet();
    // Three classes told apart by which colour channel is bright.
    const classes = Array.from({ length: 16 }, (_, i) => i % 3);
    const labels = tf.tensor1d(classes, 'int32');
    const x = tf.tidy(() =>
      tf.randomUniform([16, 32, 32, 3], 0, 0.5, 'float32', 3).add(tf.oneHot(labels, 3).reshape([16, 1, 1, 3])),
    );
    const optimizer = tf.train.adam(0.001);
    const step = () =>
      tf.tidy(() => {
        const loss = optimizer.minimize(
          () => softmaxCrossEntropy(model.apply(x, { training: false }) as tf.Tensor, labels),
          true,
        );
        return loss!.dataSync()[0];
      });
    const losses = [step()];
    const tensors = tf.memory().numTensors;
    const buffers = tf.engine().backend.numDataIds();
    for (let i = 0; i < 7; i++) losses.push(step());
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(buffers);
    expect(losses[losses.length - 1], `losses ${losses.map((l) => l.toFixed(3))}`).toBeLessThan(losses[0] * 0.6);
    tf.dispose([x, labels]);
    optimizer.dispose();
    model.dispose();
  });
});
