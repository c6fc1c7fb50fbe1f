import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runScript, tempDir } from '../testing/run_cli.js';
import type { TrainMetrics } from './train_metrics.js';

const TINY = [
  '--model',
  'residual-mlp-4',
  '--examples',
  '300',
  '--epochs',
  '2',
  '--batch-size',
  '32',
  '--backend',
  'cpu',
];

/** Loads DIR/model.json in a new process and evaluates it on the sample's test split. */
const REEVALUATE = (dir: string) => `
import * as tf from '@tensorflow/tfjs';
import 'tfjs-skip';
import { fileSystem } from 'tfjs-skip/node';
import { loadSample, toBatch } from 'tfjs-skip-data/node';
await tf.setBackend('cpu');
const model = await tf.loadLayersModel(fileSystem(${JSON.stringify(join(dir, 'model.json'))}));
const { test } = await loadSample();
const { xs, ys } = toBatch(test, Array.from({ length: test.count }, (_, i) => i));
const probs = model.predict(xs);
const correct = tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), ys), 'int32')).dataSync()[0];
const rowSum = tf.sum(probs, -1).dataSync()[0];
const loss = -tf.mean(tf.log(tf.sum(tf.mul(probs, tf.oneHot(ys, 10)), -1))).dataSync()[0];
const last = model.layers.at(-1);
const head = last.getClassName() + ' ' + last.name;
console.log(JSON.stringify({ accuracy: correct / test.count, shape: probs.shape, rowSum, loss, head }));
`;

describe('tfjs-skip train', () => {
  it(
    'trains, saves a model another process loads, ' + 'and writes consistent metrics and a report with charts',
    async () => {
      const out = join(tempDir(), 'run');
      const run = await runCli(['train', ...TINY, '--out', out]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^backend: cpu/m);
      expect(run.stdout).toMatch(/residual-mlp-4 epoch 2\/2: loss [\d.]+, accuracy [\d.]+/);

      const files = readdirSync(out).sort();
      expect(files.filter((f) => !/^weights\.[0-9a-f]{16}\.bin$/.test(f))).toEqual([
        'metrics.json',
        'model.json',
        'report.html',
      ]);
      expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);

      const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
      expect(metrics.epochs).toBe(2);
      for (const series of [metrics.loss, metrics.accuracy, metrics.epochSeconds]) expect(series).toHaveLength(2);
      expect(metrics.loss[1]).toBeLessThan(metrics.loss[0]);
      expect(metrics.testAccuracy).toBeGreaterThanOrEqual(0);
      expect(metrics.testAccuracy).toBeLessThanOrEqual(1);
      expect(metrics.testAccuracy).toBeGreaterThan(0.3); // ten classes: chance is 0.1
      expect(metrics.data).toMatchObject({ name: 'fashion-mnist-sample', trainExamples: 300, testExamples: 1000 });
      expect(metrics.stepLoss).toHaveLength(2 * Math.ceil(300 / 32));

      const again = await runScript(REEVALUATE(out));
      expect(again.stderr.replace(/\n*=+\nHi, looks like[^]*?=+\n/, '')).toBe('');
      const reevaluated = JSON.parse(again.stdout) as {
        accuracy: number;
        shape: number[];
        rowSum: number;
        loss: number;
        head: string;
      };
      expect(reevaluated.shape).toEqual([1000, 10]);
      expect(reevaluated.rowSum).toBeCloseTo(1, 5); // the saved model outputs probabilities
      expect(reevaluated.accuracy).toBe(metrics.testAccuracy);
      // Its head is the Softmax `probabilities`; the test loss, computed on the logits, is their cross-entropy.
      expect(reevaluated.head).toBe('Softmax probabilities');
      expect(reevaluated.loss).toBeCloseTo(metrics.testLoss, 4);

      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html.match(/<svg[^>]*>/g)?.length).toBe(3);
      expect(html).toContain('Learning rate by step');
      expect(html).toContain('Training loss by step');
      expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/); // self-contained
    },
  );

  it('trains the default ResNet-8 on wasm (what `npm start` runs), its loss falling from the first epoch', async () => {
    // A kernel that read a detached heap view once made this diverge at the first step (loss 16.1,
    // accuracy 0.1) while every kernel test passed: the full path, batch 64 of 28x28x1, is checked here.
    const out = join(tempDir(), 'wasm');
    const run = await runCli(['train', '--examples', '640', '--epochs', '2', '--backend', 'wasm', '--out', out]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^backend: wasm/m);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
    expect(metrics.stepLoss.every(([, loss]) => Number.isFinite(loss))).toBe(true);
    expect(metrics.loss[0]).toBeLessThan(2.3); // chance is ln 10 = 2.30; the broken run averaged 16
    expect(metrics.loss[1]).toBeLessThan(metrics.loss[0]);
    expect(metrics.testAccuracy).toBeGreaterThan(0.5);
  });

  it('stops on Ctrl-C with a checkpoint, and --resume continues from it instead of restarting', async () => {
    const out = join(tempDir(), 'run');
    const args = [
      'train',
      '--model',
      'residual-mlp-4',
      '--examples',
      '2000',
      '--epochs',
      '3',
      '--batch-size',
      '8',
      '--backend',
      'cpu',
      '--out',
      out,
    ];
    let sent = false;
    const first = await runCli(args, (soFar, child) => {
      if (!sent && soFar.includes('epoch 1/3:')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 300); // in the middle of epoch 2
      }
    });
    expect(first.code).toBe(130);
    expect(first.stderr.trim().split('\n')).toHaveLength(1);
    expect(first.stderr).toMatch(
      new RegExp(
        String.raw`^interrupted at epoch 2, step \d+: checkpoint saved to .*model\.json; ` +
          String.raw`run the same command with --resume to continue\n$`,
      ),
    );
    expect(existsSync(join(out, 'metrics.json'))).toBe(false);
    const checkpoint = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as {
      userDefinedMetadata: { tfjsSkip: { history: Array<{ loss: number }>; partial: { epoch: number; step: number } } };
    };
    const saved = checkpoint.userDefinedMetadata.tfjsSkip;
    expect(saved.history).toHaveLength(1);
    expect(saved.partial.epoch).toBe(2);
    expect(saved.partial.step).toBeGreaterThan(0);

    const second = await runCli([...args, '--resume']);
    expect(second.stderr).toBe('');
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('epoch 1/3:');
    expect(second.stdout).toContain('epoch 2/3:');
    expect(second.stdout).toContain('epoch 3/3:');
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics;
    expect(metrics.epochs).toBe(3);
    expect(metrics.loss[0]).toBe(saved.history[0]?.loss);
    expect(metrics.stepLoss).toHaveLength(3 * Math.ceil(2000 / 8));
    expect(metrics.stepLoss.map(([step]) => step)).toEqual(Array.from({ length: 3 * 250 }, (_, i) => i));

    const finished = await runCli([...args, '--resume']);
    expect(finished.code).not.toBe(0);
    expect(finished.stderr).toMatch(/has already finished its 3 epochs; pass a larger --epochs/);
  });
});
