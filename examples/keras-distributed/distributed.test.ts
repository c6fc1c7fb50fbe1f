/**
 * The distributed example end to end, small: ResNet-8 composed in TF.js and
 * written as .keras, trained in Keras 3 under tf.distribute.MirroredStrategy
 * over two logical CPU devices, read back into TF.js, where it predicts what
 * Keras predicted. Uses the Python of the Keras cross tests
 * (`node scripts/python-env.mjs`); fails, never skips, without it.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { loadModel, resNet } from 'tfjs-skip';
import { kerasFile } from 'tfjs-skip/node';
import { loadSample, toBatch } from 'tfjs-skip-data/node';
import { describe, expect, it } from 'vitest';
import { isReady, pythonPath } from '../../scripts/python-env.mjs';

const TRAIN = fileURLToPath(new URL('./train.py', import.meta.url));

interface Report {
  replicas: number;
  strategy: string;
  history: { loss: number[] };
  test_accuracy: number;
  predictions: number[][];
}

describe('examples/keras-distributed', () => {
  it('trains a TF.js ResNet under MirroredStrategy in Keras and brings it back with the same predictions', async () => {
    if (!isReady()) throw new Error('Python with Keras 3 is not installed: run `node scripts/python-env.mjs`');
    const dir = mkdtempSync(join(tmpdir(), 'keras-distributed-'));
    const composed = resNet({ depth: 8, inputShape: [28, 28, 1], classes: 10 });
    const initial = composed.getWeights().map((w) => w.dataSync().slice());
    await composed.save(kerasFile(join(dir, 'in.keras')));
    composed.dispose();

    const args = [TRAIN, '--model', join(dir, 'in.keras'), '--out', join(dir, 'out.keras'), '--devices', '2'];
    const options = [
      '--epochs',
      '1',
      '--examples',
      '512',
      '--batch-size',
      '64',
      '--metrics',
      join(dir, 'metrics.json'),
    ];
    execFileSync(pythonPath(), [...args, ...options], {
      env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3', CUDA_VISIBLE_DEVICES: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const report = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')) as Report;
    expect(report.strategy).toBe('mirrored');
    expect(report.replicas).toBe(2);
    expect(Number.isFinite(report.history.loss[0])).toBe(true);

    const trained = await loadModel(kerasFile(join(dir, 'out.keras')));
    const changed = trained.getWeights().some((w, i) => w.dataSync().some((v, k) => v !== initial[i][k]));
    expect(changed, 'Keras trained the weights').toBe(true);
    const { test } = await loadSample();
    const batch = toBatch(
      test,
      Array.from({ length: 16 }, (_, i) => i),
    );
    const ours = (trained.predict(batch.xs) as tf.Tensor2D).arraySync();
    ours.forEach((row, i) =>
      row.forEach((v, j) => {
        const theirs = report.predictions[i][j];
        expect(Math.abs(v - theirs), `prediction [${i}][${j}]`).toBeLessThanOrEqual(
          Math.max(1e-5, 1e-4 * Math.abs(theirs)),
        );
      }),
    );
    tf.dispose([batch.xs, batch.ys]);
    trained.dispose();
  });
});
