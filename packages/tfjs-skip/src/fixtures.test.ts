/**
 * Parity with PyTorch: the fixtures in `test/fixtures/` (copied from
 * `../shared/fixtures/`, see its README, and named after their models) hold
 * weights, inputs, outputs, loss and gradients computed by an independent
 * implementation.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  fixtureLossAndGrads,
  fixtureModel,
  FIXTURE_MODELS,
  fixtureTensor as tensor,
  type Fixture,
  type FixtureName,
  type NamedArray,
} from './testing/fixture_models.js';

function fixture(name: FixtureName): Fixture {
  return JSON.parse(readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

/** The file each fixture was copied from, in `../shared/fixtures/` beside the repository. */
const SHARED_FILES: Record<FixtureName, string> = {
  'dense-skip-add': 'seed000-add.json',
  'dense-skip-concat': 'seed000-concat.json',
  'toy-resnet': 'toy-resnet.json',
  'resnet-block-bn': 'resnet-block-bn.json',
};
const SHARED = new URL('../../../../shared/fixtures/', import.meta.url);

function loaded(name: FixtureName): { f: Fixture; model: tf.Sequential } {
  const f = fixture(name);
  const built = FIXTURE_MODELS[name]();
  expect(built.countParams()).toBe(f.params);
  expect(built.getWeights().map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
  built.dispose();
  return { f, model: fixtureModel(name, f) };
}

function expectClose(actual: tf.Tensor, expected: NamedArray, atol: number): void {
  expect(actual.shape).toEqual(expected.shape);
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))).dataSync()[0]);
  expect(diff, `max |diff| of ${expected.name}`).toBeLessThan(atol);
}

describe('the fixture files', () => {
  it.skipIf(!existsSync(SHARED))("are the shared fixtures, byte for byte, under their models' names", () => {
    for (const [name, shared] of Object.entries(SHARED_FILES)) {
      const copy = readFileSync(new URL(`../test/fixtures/${name}.json`, import.meta.url));
      expect(copy.equals(readFileSync(new URL(shared, SHARED))), `test/fixtures/${name}.json vs ${shared}`).toBe(true);
    }
  });
});

describe('PyTorch parity', () => {
  it.each(['dense-skip-add', 'dense-skip-concat', 'toy-resnet', 'resnet-block-bn'] as const)(
    '%s: inference output within 1e-4',
    (name) => {
      const { f, model } = loaded(name);
      expectClose(model.predict(tensor(f.input)) as tf.Tensor, f.output, 1e-4);
    },
  );

  it('resnet-block-bn: training-mode output (batch statistics) within 1e-4', () => {
    const { f, model } = loaded('resnet-block-bn');
    expectClose(model.apply(tensor(f.input), { training: true }) as tf.Tensor, f.outputTraining!, 1e-4);
  });

  it.each(['dense-skip-add', 'dense-skip-concat', 'toy-resnet'] as const)(
    '%s: loss and gradients within 1e-3 relative',
    (name) => {
      const { f, model } = loaded(name);
      const { loss, grads } = fixtureLossAndGrads(model, f);
      expect(loss.dataSync()[0]).toBeCloseTo(f.loss!, 4);
      grads.forEach((actual, i) => {
        const expected = f.grads![i];
        const scale = Math.max(...expected.data.map(Math.abs));
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))).dataSync()[0]);
        expect(diff / scale, `gradient of ${expected.name}`).toBeLessThan(1e-3);
      });
    },
  );
});
