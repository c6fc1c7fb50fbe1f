import * as tf from '@tensorflow/tfjs';
import { skipConnection } from 'tfjs-skip';
import { syntheticDataset } from 'tfjs-skip-data';
import { learningRateAt, scheduleOf } from 'tfjs-skip-train';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolvePageRun } from '../src/recipe_choice.js';
import { Run, type RunControl } from '../src/training.js';

beforeAll(async () => {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
});

// 96 images of 8x8: 3 steps an epoch in batches of 32.
const data = {
  name: 'synthetic',
  location: 'memory',
  train: syntheticDataset({ count: 96, height: 8, width: 8, classes: 4 }),
  test: syntheticDataset({ count: 40, height: 8, width: 8, classes: 4 }),
};

/** A dense layer, a residual block (dense, BatchNorm, dense) and the logits: five weighted layers. */
function model(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [8, 8, 1] }),
      tf.layers.dense({ units: 12, activation: 'relu' }),
      skipConnection({
        mainPath: [tf.layers.dense({ units: 12 }), tf.layers.batchNormalization(), tf.layers.dense({ units: 12 })],
      }),
      tf.layers.dense({ units: 4 }),
    ],
  });
}

const control = (overrides: Partial<RunControl> = {}): RunControl => ({
  seed: 7,
  evaluateEvery: 4,
  stopRequested: () => false,
  onStep: () => undefined,
  ...overrides,
});

describe("the page's Run, training through tfjs-skip-train's fit", () => {
  it("trains the steps asked at the recipe's rates, records each layer's gradient norm, leaks nothing", async () => {
    const trained = model();
    const run = new Run('residual', trained);
    expect(run.rowNames).toHaveLength(5); // dense, the block's dense, BatchNorm, dense, the logits
    const pageRun = resolvePageRun('he2016', { learningRate: 0.1, batchSize: 32 }, 8, data.train);
    expect(pageRun).toMatchObject({ stepsPerEpoch: 3, epochs: 8 / 3 });
    const seen: number[] = [];
    await run.train(data, pageRun, control({ onStep: (progress) => seen.push(progress.globalStep) }));

    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6, 7]); // 8 steps: two epochs and two steps of a third
    const schedule = scheduleOf(pageRun.recipe, pageRun.epochs, pageRun.stepsPerEpoch);
    expect(run.steps.map((s) => s.learningRate)).toEqual(seen.map((step) => learningRateAt(schedule, step)));
    expect(run.steps.map((s) => +s.learningRate.toPrecision(6))).toEqual([
      0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001,
    ]);
    for (const step of run.steps) {
      expect(step.gradNorms).toHaveLength(5);
      expect(Number.isFinite(step.loss)).toBe(true);
      for (const norm of step.gradNorms) expect(norm).toBeGreaterThan(0);
    }
    // Accuracy after 4 steps, then at the end.
    expect(run.accuracy.map((a) => a.step)).toEqual([4, 8]);
    for (const { value } of run.accuracy) expect(value).toBeGreaterThanOrEqual(0);
    // What stays is the optimizer's state, made by the first run; another run of 8 steps adds nothing.
    const afterFirst = tf.memory().numTensors;
    await run.train(data, pageRun, control());
    expect(run.steps).toHaveLength(16);
    expect(tf.memory().numTensors).toBe(afterFirst);
    run.dispose();
    trained.dispose();
  });

  it('stops after the step at which Stop is seen, and the next press trains on with the same optimizer', async () => {
    const trained = model();
    const run = new Run('residual', trained);
    const pageRun = resolvePageRun('one-cycle', { learningRate: 0.2, batchSize: 32 }, 9, data.train);
    await run.train(data, pageRun, control({ stopRequested: () => run.steps.length >= 2 }));
    expect(run.steps).toHaveLength(2);
    expect(run.accuracy.map((a) => a.step)).toEqual([2]);
    const tensors = tf.memory().numTensors;
    await run.train(data, pageRun, control({ seed: 9 }));
    expect(run.steps).toHaveLength(11);
    // The second run's schedule starts over: its first step at one-cycle's start rate, 0.2 / 25.
    expect(run.steps[2].learningRate).toBeCloseTo(0.2 / 25, 12);
    expect(tf.memory().numTensors).toBe(tensors); // the same optimizer, no new state
    run.dispose();
    trained.dispose();
  });
});
