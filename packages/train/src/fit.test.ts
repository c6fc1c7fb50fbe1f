import * as tf from '@tensorflow/tfjs';
import { permutation, syntheticDataset, toBatch } from 'tfjs-skip-data';
import { describe, expect, it, vi } from 'vitest';
import { fit, type FitOptions, type FitState, type StepProgress } from './fit.js';
import { augmentSeeded } from './recipes/augment.js';
import { makeOptimizer } from './recipes/optimizer.js';
import { resolveRecipe, scheduleOf, weightDecayOf, type Recipe, type RecipeSettings } from './recipes/recipe.js';
import { learningRateAt } from './recipes/schedule.js';
import { decayedVariables } from './recipes/weight_decay.js';
import { trainableVariables, trainStep } from './step.js';

/** 40 images of 8x8 in 3 classes: batches of 16 make 3 steps an epoch (16, 16, 8). */
const data = syntheticDataset({ count: 40, height: 8, width: 8, classes: 3 });
const EPOCHS = 3;
const SEED = 5;

/** A conv net with BatchNorm, logits out, with the same weights every time it is built. */
function convNet(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3, padding: 'same' }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.flatten(),
      tf.layers.dense({ units: 3 }),
    ],
  });
  trainableVariables(model).forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 0.5, 'float32', i + 1)));
  return model;
}

/** A recipe for `data`: he2016 (SGD with momentum, L2 decay, step schedule, crop and flip) at batch 16. */
function recipeOf(name: 'he2016' | 'adam', settings: RecipeSettings = {}): Recipe {
  return resolveRecipe(
    name,
    { learningRate: 0.01, batchSize: 16 },
    { batchSize: 16, ...settings },
    { epochs: EPOCHS, imageWidth: 8 },
  );
}

/** Every weight of a model (moving statistics included) as plain numbers. */
function weightsOf(model: tf.LayersModel): number[][] {
  return model.getWeights().map((w) => Array.from(w.dataSync()));
}

/** A run's history with its wall-clock seconds set to 0 (the one thing a resumed run may change). */
function withoutSeconds(history: FitState['history']) {
  return history.map((record) => ({ ...record, seconds: 0 }));
}

describe('fit', () => {
  it('calls its hooks in order: epoch start, each step, epoch end, checkpoint; asks to stop between them', async () => {
    const model = convNet();
    const events: string[] = [];
    const result = await fit(model, data, recipeOf('he2016'), {
      epochs: 2,
      seed: SEED,
      onEpochStart: (s) => events.push(`start ${s.epoch}/${s.epochs} at ${s.step} of ${s.steps}`),
      onStep: (s) => void events.push(`step ${s.epoch}.${s.step} (${s.globalStep})`),
      onEpochEnd: (e) => void events.push(`end ${e.record.epoch}/${e.epochs}, ${e.history.length} done, ${e.images}`),
      checkpoint: (state) => void events.push(`checkpoint ${state.history.length}${state.partial ? ' partial' : ''}`),
      interrupted: () => (events.push('asked'), false),
    });
    expect(events).toEqual([
      'start 1/2 at 0 of 3',
      'step 1.1 (0)',
      'asked',
      'step 1.2 (1)',
      'asked',
      'step 1.3 (2)',
      'end 1/2, 1 done, 40',
      'checkpoint 1',
      'asked',
      'start 2/2 at 0 of 3',
      'step 2.1 (3)',
      'asked',
      'step 2.2 (4)',
      'asked',
      'step 2.3 (5)',
      'end 2/2, 2 done, 40',
      'checkpoint 2',
    ]);
    expect(result.finished).toBe(true);
    expect(result.partial).toBeUndefined();
    expect(result.history.map((e) => e.epoch)).toEqual([1, 2]);
    model.dispose();
  });

  it('an epoch is trainStep on each seeded, augmented batch at the schedule’s rate, smoothing and decay', async () => {
    for (const recipe of [
      recipeOf('he2016', { batchSize: 20, labelSmoothing: 0.1 }),
      recipeOf('adam', { batchSize: 20, optimizer: 'adamw', schedule: 'cosine', augment: 'crop:1' }),
    ]) {
      const [viaFit, byHand] = [convNet(), convNet()];
      const result = await fit(viaFit, data, recipe, { epochs: 1, seed: SEED, preciseBatchNorm: false });

      const order = permutation(data.count, SEED + 1);
      const schedule = scheduleOf(recipe, 1, 2);
      const optimizer = makeOptimizer(recipe);
      const decay = weightDecayOf(recipe);
      const variables = decayedVariables(trainableVariables(byHand), decay);
      for (const step of [0, 1]) {
        const batch = toBatch(data, order.subarray(step * 20, (step + 1) * 20));
        const pixels = batch.xs.dataSync().slice() as Float32Array;
        augmentSeeded(pixels, batch.xs.shape, recipe.augment, SEED, 1, step);
        const xs = tf.tensor4d(pixels, batch.xs.shape);
        trainStep(byHand, optimizer, xs, batch.ys, undefined, {
          learningRate: learningRateAt(schedule, step),
          labelSmoothing: recipe.labelSmoothing,
          decay: { variables, rate: decay.rate, mode: decay.mode },
        });
        tf.dispose([batch.xs, batch.ys, xs]);
      }
      expect(weightsOf(viaFit)).toEqual(weightsOf(byHand));
      expect(result.history[0]!.learningRate).toBe(learningRateAt(schedule, 1));
      [viaFit, byHand].forEach((m) => m.dispose());
    }
  });

  it('trains at the rate of the recipe’s schedule, in batches of its batch size', async () => {
    const model = convNet();
    const recipe = recipeOf('he2016');
    const steps: StepProgress[] = [];
    await fit(model, data, recipe, { epochs: EPOCHS, seed: SEED, onStep: (s) => void steps.push(s) });
    const schedule = scheduleOf(recipe, EPOCHS, 3);
    expect(steps.map((s) => s.learningRate)).toEqual(steps.map((s) => learningRateAt(schedule, s.globalStep)));
    // He et al.'s step schedule: x0.1 at 50% and 75% of the 9 steps (steps 5 and 7).
    expect(new Set(steps.map((s) => s.learningRate)).size).toBe(3);
    expect(steps.map((s) => s.steps)).toEqual(new Array(9).fill(3));
    model.dispose();
  });

  it('an interrupt stops after the step and hands back state that resumes the run bit for bit', async () => {
    const recipe = recipeOf('he2016', { labelSmoothing: 0.1 });
    const whole = convNet();
    const wholeLosses: number[] = [];
    const uninterrupted = await fit(whole, data, recipe, {
      epochs: EPOCHS,
      seed: SEED,
      onStep: (s) => void wholeLosses.push(s.loss),
    });

    const cut = convNet();
    const losses: number[] = [];
    const checkpoints: FitState[] = [];
    // Stop after global step 4 (inside epoch 2) and at the end of epoch 2 (after step 6).
    const stopAfter = new Set([4, 6]);
    const options: FitOptions = {
      epochs: EPOCHS,
      seed: SEED,
      onStep: (s) => void losses.push(s.loss),
      interrupted: () => stopAfter.has(losses.length),
      checkpoint: (state) => void checkpoints.push(JSON.parse(JSON.stringify(state)) as FitState),
    };
    const first = await fit(cut, data, recipe, options);
    expect(first.finished).toBe(false);
    expect(first.partial).toMatchObject({ epoch: 2, step: 1, seen: 16 });
    expect(first.history).toHaveLength(1);
    expect(losses).toHaveLength(4);
    expect(checkpoints.at(-1)).toEqual(JSON.parse(JSON.stringify({ history: first.history, partial: first.partial })));

    // Resumed from the checkpoint as stored (plain JSON), with the optimizer that trained.
    const second = await fit(cut, data, recipe, { ...options, optimizer: first.optimizer, resume: checkpoints.at(-1) });
    expect(second.finished).toBe(false);
    expect(second.partial).toBeUndefined();
    expect(second.history).toHaveLength(2);
    expect(losses).toHaveLength(6);

    const third = await fit(cut, data, recipe, { ...options, optimizer: second.optimizer, resume: second });
    expect(third.finished).toBe(true);
    expect(losses).toEqual(wholeLosses);
    expect(withoutSeconds(third.history)).toEqual(withoutSeconds(uninterrupted.history));
    expect(weightsOf(cut)).toEqual(weightsOf(whole));
    [whole, cut].forEach((m) => m.dispose());
  });

  it('yields to the event loop between steps: an interrupt an event sets stops the run after that step', async () => {
    const model = convNet();
    let requested = false;
    const result = await fit(model, data, recipeOf('he2016'), {
      epochs: 1,
      seed: SEED,
      onStep: (s) => void (s.globalStep === 0 && setImmediate(() => (requested = true))),
      interrupted: () => requested,
    });
    expect(result.partial).toMatchObject({ epoch: 1, step: 1 });
    model.dispose();
  });

  it('awaits an asynchronous onStep before the next step', async () => {
    const model = convNet();
    const events: string[] = [];
    await fit(model, data, recipeOf('he2016'), {
      epochs: 1,
      seed: SEED,
      onStep: async (s) => {
        events.push(`step ${s.step}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
        events.push(`drawn ${s.step}`);
      },
      onEpochEnd: () => void events.push('end'),
    });
    expect(events).toEqual(['step 1', 'drawn 1', 'step 2', 'drawn 2', 'step 3', 'drawn 3', 'end']);
    model.dispose();
  });

  it('yields through a MessageChannel where there is no setImmediate (a browser)', async () => {
    const model = convNet();
    vi.stubGlobal('setImmediate', undefined);
    const posted = vi.spyOn(MessagePort.prototype, 'postMessage');
    try {
      const result = await fit(model, data, recipeOf('he2016'), { epochs: 1, seed: SEED });
      expect(result.finished).toBe(true);
      expect(posted).toHaveBeenCalledTimes(3);
    } finally {
      vi.unstubAllGlobals();
      posted.mockRestore();
      model.dispose();
    }
  });

  it('makes the BatchNorm statistics those of the training data at the current weights after each epoch', async () => {
    const movingMeanAfterFit = async (preciseBatchNorm: boolean) => {
      const model = convNet();
      await fit(model, data, recipeOf('he2016', { augment: 'none' }), { epochs: 1, seed: SEED, preciseBatchNorm });
      const conv = model.layers[0]!;
      const batchNorm = model.layers[1]!;
      const { xs, ys } = toBatch(data, permutation(data.count, 0));
      // The data's 40 images fit in one precise-BN batch: the moving mean is their mean at the trained weights.
      const expected = tf.tidy(() => tf.mean(conv.apply(xs) as tf.Tensor4D, [0, 1, 2]).dataSync());
      const movingMean = batchNorm.getWeights()[2]!.dataSync();
      tf.dispose([xs, ys]);
      model.dispose();
      return { expected: Array.from(expected), movingMean: Array.from(movingMean) };
    };
    const precise = await movingMeanAfterFit(true);
    precise.movingMean.forEach((m, i) => expect(m).toBeCloseTo(precise.expected[i]!, 5));
    const lagging = await movingMeanAfterFit(false);
    expect(Math.max(...lagging.movingMean.map((m, i) => Math.abs(m - lagging.expected[i]!)))).toBeGreaterThan(0.01);
  });

  it('ends a run of fractional epochs inside its last epoch, the schedule spanning exactly its steps', async () => {
    const model = convNet();
    // 3 steps an epoch: 7/3 epochs are 7 steps, two whole epochs and one step of a third.
    const epochs = 7 / 3;
    const recipe = resolveRecipe(
      'one-cycle',
      { learningRate: 0.1, batchSize: 16 },
      { batchSize: 16 },
      { epochs, imageWidth: 8 },
    );
    const steps: Array<[number, number, number]> = [];
    const ends: number[] = [];
    const result = await fit(model, data, recipe, {
      epochs,
      seed: SEED,
      onStep: (s) => void steps.push([s.epoch, s.globalStep, s.learningRate]),
      onEpochEnd: (end) => void ends.push(end.record.epoch),
    });
    expect(steps.map(([epoch, globalStep]) => [epoch, globalStep])).toEqual([
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 3],
      [2, 4],
      [2, 5],
      [3, 6],
    ]);
    const schedule = scheduleOf(recipe, epochs, 3);
    expect(schedule.totalSteps).toBe(7);
    expect(steps.map(([, , rate]) => rate)).toEqual(steps.map(([, step]) => learningRateAt(schedule, step)));
    expect(steps[6]![2]).toBeLessThan(1e-5); // one-cycle's last step, at the bottom of its cosine
    expect(ends).toEqual([1, 2, 3]); // the cut epoch ends as a whole one does (precise BatchNorm, onEpochEnd)
    expect(result).toMatchObject({ finished: true, history: [{ epoch: 1 }, { epoch: 2 }, { epoch: 3 }] });
    model.dispose();
  });

  it('makes the recipe’s optimizer when given none, and leaves no tensor behind but that optimizer’s', async () => {
    const model = convNet();
    const recipe = recipeOf('he2016');
    const first = await fit(model, data, recipe, { epochs: 1, seed: SEED });
    expect(first.optimizer.getClassName()).toBe('Momentum');
    const tensors = tf.memory().numTensors;
    await fit(model, data, recipe, { epochs: 2, seed: SEED, optimizer: first.optimizer, resume: first });
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});
