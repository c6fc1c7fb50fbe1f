import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kerasFile } from 'tfjs-skip/node';
import { describe, expect, it } from 'vitest';
import { modelFromFile } from './from_file.js';

/** A small keras.applications-like model (features, pooling, softmax classifier) saved as a .keras file. */
async function kerasModel(top: boolean): Promise<string> {
  const input = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers
    .conv2d({ filters: 4, kernelSize: 3, strides: 2, activation: 'relu' })
    .apply(input) as tf.SymbolicTensor;
  if (top) {
    x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
    x = tf.layers.dense({ units: 5, activation: 'softmax', name: 'predictions' }).apply(x) as tf.SymbolicTensor;
  }
  const file = join(mkdtempSync(join(tmpdir(), 'from-file-')), top ? 'top.keras' : 'notop.keras');
  const model = tf.model({ inputs: input, outputs: x });
  await model.save(kerasFile(file));
  model.dispose();
  return file;
}

describe('train --model FILE: a Keras model made ready to fine-tune', () => {
  it('keeps a classifier of the data class count, as logits under a softmax, with its weights', async () => {
    const file = await kerasModel(true);
    const { model, note } = await modelFromFile(file, { inputShape: [32, 32, 3], classes: 5 }, 1);
    expect(note).toMatch(/its classifier "predictions" \(5 classes\) kept/);
    expect(model.outputs[0].shape).toEqual([null, 5]);
    expect(model.layers.at(-1)?.name).toBe('probabilities');
    const original = await tf.loadLayersModel(kerasFile(file));
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3);
    const diff = tf.max(tf.abs(tf.sub(model.predict(x) as tf.Tensor, original.predict(x) as tf.Tensor)));
    expect(diff.dataSync()[0]).toBeLessThan(1e-6);
  });

  it('replaces the head when the class count differs or there is none, and adapts gray, smaller images', async () => {
    const { model, note } = await modelFromFile(await kerasModel(true), { inputShape: [28, 28, 1], classes: 10 }, 1);
    expect(note).toMatch(/head replaced by a new Dense of 10 classes \(the file's classifier "predictions" has 5\)/);
    expect(note).toMatch(/gray channel repeated 3 times; images zero-padded from 28x28 to 32x32/);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    const features = await modelFromFile(await kerasModel(false), { inputShape: [32, 32, 3], classes: 3 }, 1);
    expect(features.note).toMatch(/no classifier: 4 features/);
    expect(features.model.outputs[0].shape).toEqual([null, 3]);
  });

  it('refuses images it cannot take, saying what would', async () => {
    const file = await kerasModel(true);
    await expect(modelFromFile(file, { inputShape: [40, 40, 3], classes: 5 }, 1)).rejects.toThrow(
      /takes 32x32 images, smaller than the data's 40x40/,
    );
    await expect(modelFromFile(file, { inputShape: [32, 32, 2], classes: 5 }, 1)).rejects.toThrow(
      /takes 3-channel images, but the data's have 2/,
    );
  });
});
