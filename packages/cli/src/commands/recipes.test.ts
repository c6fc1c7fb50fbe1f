import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, tempDir } from '../testing/run_cli.js';
import type { CompareMetrics } from './compare.js';
import type { TrainMetrics } from './train_metrics.js';

/** A small fast version of a run: a residual MLP on 1,000 sample images, on cpu. */
const SMALL = ['--model', 'residual-mlp-8', '--examples', '1000', '--epochs', '4', '--backend', 'cpu'];

async function train(args: string[]): Promise<{ metrics: TrainMetrics; stdout: string; out: string }> {
  const out = join(tempDir(), 'run');
  const run = await runCli(['train', ...args, '--out', out]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return {
    metrics: JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as TrainMetrics,
    stdout: run.stdout,
    out,
  };
}

describe('training recipes on the sample', () => {
  it('he2016 trains: SGD with momentum, the rate falling x0.1 at 50% and 75% of the run, shown per epoch', async () => {
    const { metrics, stdout } = await train([...SMALL, '--recipe', 'he2016']);
    expect(stdout).toContain(
      'he2016 recipe: SGD momentum 0.9, rate 0.1 step x0.1 at epochs 2, 3, ' +
        'weight decay 0.0001 (l2), augment crop:2,flip',
    );
    expect(stdout).toMatch(/epoch 1\/4: loss [\d.]+, accuracy [\d.]+, lr 0\.1,/);
    expect(stdout).toMatch(/epoch 4\/4: .*lr 0\.001,/);
    expect(metrics.recipe).toMatchObject({ name: 'he2016', optimizer: 'sgd', batchSize: 128, milestones: [2, 3] });
    expect(metrics.epochLearningRate.map((r) => +r.toPrecision(3))).toEqual([0.1, 0.1, 0.01, 0.001]);
    const steps = Math.ceil(1000 / 128);
    expect(metrics.stepLearningRate).toHaveLength(4 * steps);
    expect(metrics.stepLearningRate[2 * steps - 1]?.[1]).toBe(0.1);
    expect(metrics.stepLearningRate[2 * steps]?.[1]).toBeCloseTo(0.01, 12);
    expect(metrics.loss[3]).toBeLessThan(metrics.loss[0]);
    expect(metrics.testAccuracy).toBeGreaterThan(0.4); // chance is 0.1
  });

  it('one-cycle trains: the rate rises for 30% of the run then falls to base/25e4; report.html plots it', async () => {
    const { metrics, out } = await train([...SMALL, '--recipe', 'one-cycle']);
    const rates = metrics.stepLearningRate.map(([, r]) => r);
    const peak = rates.indexOf(Math.max(...rates));
    expect(peak).toBe(Math.round(0.3 * rates.length));
    expect(rates[0]).toBeCloseTo(0.2 / 25, 12);
    expect(rates.at(-1)).toBeCloseTo(0.2 / 25e4, 15);
    expect(metrics.recipe).toMatchObject({ nesterov: true, labelSmoothing: 0.1, decayBnBias: false });
    expect(metrics.loss[3]).toBeLessThan(metrics.loss[0]);
    expect(metrics.testAccuracy).toBeGreaterThan(0.4);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('Learning rate by step');
    expect(html).toContain('one-cycle recipe: SGD momentum 0.9 (Nesterov)');
  });

  it('explicit flags override the recipe, and --resume refuses flags that would change it', async () => {
    const args = [
      ...SMALL,
      '--epochs',
      '1',
      '--recipe',
      'he2016',
      '--learning-rate',
      '0.05',
      '--milestones',
      '0.5',
      '--augment',
      'none',
      '--optimizer',
      'adamw',
    ];
    const { metrics, out } = await train(args);
    expect(metrics.recipe).toMatchObject({
      optimizer: 'adamw',
      learningRate: 0.05,
      milestones: [0.5],
      augment: { crop: 0, flip: false },
      weightDecay: 1e-4,
      decayMode: 'l2',
    });
    const resumed = await runCli([
      'train',
      ...args,
      '--epochs',
      '2',
      '--label-smoothing',
      '0.2',
      '--resume',
      '--out',
      out,
    ]);
    expect(resumed.code).not.toBe(0);
    expect(resumed.stderr).toMatch(
      new RegExp(
        String.raw`^tfjs-skip: --resume: .* was trained with he2016 recipe: AdamW, rate 0\.05 .*; ` +
          'the flags given change labelSmoothing; resume with the same recipe flags',
      ),
    );
    const same = await runCli(['train', ...args, '--epochs', '2', '--resume', '--out', out]);
    expect(same.stderr).toBe('');
    expect(same.code).toBe(0);
  });

  it('compare trains both twins with the recipe and records it', async () => {
    const out = join(tempDir(), 'compare');
    const run = await runCli([
      'compare',
      '--depth',
      '4',
      '--examples',
      '500',
      '--epochs',
      '2',
      '--backend',
      'cpu',
      '--recipe',
      'he2016',
      '--schedule',
      'cosine',
      '--out',
      out,
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')) as CompareMetrics;
    expect(metrics.recipe).toMatchObject({ name: 'he2016', schedule: 'cosine', optimizer: 'sgd' });
    expect(metrics.batchSize).toBe(128);
    expect(metrics.runs.map((r) => r.model)).toEqual(['mlp-4', 'residual-mlp-4']);
  });
});
