import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { skipConnection } from '../index.js';
import { fileSystem, ModelFileError } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tfjs-skip-fs-'));
});

function residualModel() {
  return tf.sequential({
    layers: [
      skipConnection({
        inputShape: [4],
        mainPath: [
          tf.layers.dense({ units: 8, activation: 'relu' }),
          tf.layers.dense({ units: 4 }),
          tf.layers.batchNormalization(),
        ],
      }),
      tf.layers.dense({ units: 2 }),
    ],
  });
}

const predictDiff = (a: tf.LayersModel, b: tf.LayersModel, x: tf.Tensor) =>
  tf.tidy(() => tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0]);

describe('fileSystem()', () => {
  it('saves model.json and one weights file, and loads identical predictions', async () => {
    const model = residualModel();
    const result = await model.save(fileSystem(join(dir, 'm')));
    expect(result.modelArtifactsInfo.weightDataBytes).toBe(model.countParams() * 4);
    expect(readdirSync(join(dir, 'm')).sort()).toEqual([
      'model.json',
      expect.stringMatching(/^weights\.[0-9a-f]{16}\.bin$/),
    ]);
    for (const path of [join(dir, 'm'), join(dir, 'm', 'model.json')]) {
      const loaded = await tf.loadLayersModel(fileSystem(path));
      expect(predictDiff(model, loaded, tf.randomNormal([3, 4]))).toBe(0);
    }
  });

  it('replaces a saved model atomically and removes the weights only the old one used', async () => {
    const first = residualModel();
    await first.save(fileSystem(dir));
    const oldWeights = readdirSync(dir).filter((f) => f.endsWith('.bin'));
    const second = residualModel();
    await second.save(fileSystem(dir));
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.bin'))).not.toEqual(oldWeights);
    expect(files.filter((f) => f.endsWith('.bin') || f.endsWith('.tmp'))).toHaveLength(1);
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    expect(predictDiff(second, loaded, tf.ones([2, 4]))).toBe(0);
  });

  it('a save interrupted after writing weights leaves the previous model loadable', async () => {
    const first = residualModel();
    await first.save(fileSystem(dir));
    // What a crash between the two renames leaves: new weights, old model.json.
    writeFileSync(join(dir, 'weights.0123456789abcdef.bin'), Buffer.alloc(100));
    const loaded = await tf.loadLayersModel(fileSystem(dir));
    expect(predictDiff(first, loaded, tf.ones([2, 4]))).toBe(0);
  });

  describe('refuses, without leaking tensors', () => {
    async function refusal(mutate: (json: tf.io.ModelJSON) => void, problem: string) {
      const model = residualModel();
      await model.save(fileSystem(dir));
      const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as tf.io.ModelJSON;
      mutate(json);
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      const before = tf.memory().numTensors;
      const error = await tf.loadLayersModel(fileSystem(dir)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelFileError);
      expect((error as ModelFileError).problem).toBe(problem);
      expect(tf.memory().numTensors).toBe(before);
      return error as ModelFileError;
    }
    const setPath = (p: string) => (json: tf.io.ModelJSON) => {
      json.weightsManifest[0].paths = [p];
    };

    it.each([
      ['an absolute path', '/etc/passwd'],
      ['a parent directory', '../outside.bin'],
      ['a nested parent directory', 'a/../../outside.bin'],
      ['a backslash', '..\\outside.bin'],
      ['a NUL byte', 'weights\0.bin'],
      ['a URL scheme', 'https://example.com/w.bin'],
      ['a file: URL', 'file:///etc/passwd'],
    ])('a weights path with %s', async (_what, p) => {
      const error = await refusal(setPath(p), 'unsafe-path');
      expect(error.message).toContain(JSON.stringify(p));
    });

    it('a symlink that leads out of the model folder', async () => {
      const outside = mkdtempSync(join(tmpdir(), 'tfjs-skip-outside-'));
      writeFileSync(join(outside, 'secret.bin'), Buffer.alloc(4 * 200));
      symlinkSync(join(outside, 'secret.bin'), join(dir, 'link.bin'));
      await refusal(setPath('link.bin'), 'unsafe-path');
    });

    it('weights shorter or longer than the manifest says', async () => {
      await refusal((json) => json.weightsManifest[0].weights[0].shape.push(2), 'weights-size');
      await refusal((json) => json.weightsManifest[0].weights.pop(), 'weights-size');
    });

    it('weight shapes that are not shapes', async () => {
      await refusal((json) => (json.weightsManifest[0].weights[0].shape = [-1, 4]), 'bad-weight-spec');
      await refusal((json) => (json.weightsManifest[0].weights[0].shape = [1.5]), 'bad-weight-spec');
      await refusal((json) => (json.weightsManifest[0].weights[0].shape = ['4'] as never), 'bad-weight-spec');
    });

    it('a missing weights file, and a folder without a model', async () => {
      await refusal(setPath('nope.bin'), 'not-found');
      const error = await tf.loadLayersModel(fileSystem(join(dir, 'empty'))).catch((e: unknown) => e);
      expect((error as ModelFileError).problem).toBe('not-found');
    });

    it('a model.json over the size limit, or not JSON', async () => {
      await residualModel().save(fileSystem(dir));
      const big = await tf.loadLayersModel(fileSystem(dir, { maxModelJsonBytes: 100 })).catch((e: unknown) => e);
      expect((big as ModelFileError).problem).toBe('too-large');
      writeFileSync(join(dir, 'model.json'), '{"modelTopology": ');
      const bad = await tf.loadLayersModel(fileSystem(dir)).catch((e: unknown) => e);
      expect((bad as ModelFileError).problem).toBe('bad-json');
    });
  });
});
