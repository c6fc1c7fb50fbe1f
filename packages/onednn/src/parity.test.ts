/**
 * The suites every backend runs, on onednn: the PyTorch reference fixtures
 * (outputs, batch-norm training mode, loss and gradients) and the layer
 * contract of each SkipConnection configuration.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkLayerContract,
  FIXTURE_NAMES,
  fixtureLossAndGrads,
  fixtureModel,
  fixtureTensor,
  SKIP_CONNECTION_CONTRACTS,
  type Fixture,
  type FixtureName,
} from 'tfjs-skip/testing';
import { onednnProblem } from './index.js';

const require = createRequire(import.meta.url);
const fixture = (name: FixtureName): Fixture =>
  JSON.parse(readFileSync(require.resolve(`tfjs-skip/fixtures/${name}.json`), 'utf8')) as Fixture;

beforeAll(async () => {
  expect(onednnProblem()).toBeNull();
  await tf.setBackend('onednn');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest |actual - expected| over the largest |expected|. */
function relative(actual: tf.Tensor, expected: { data: number[]; shape: number[] }): number {
  expect(actual.shape).toEqual(expected.shape);
  const scale = Math.max(1e-6, ...expected.data.map(Math.abs));
  return tf.tidy(() => tf.max(tf.abs(tf.sub(actual, fixtureTensor(expected as never)))).dataSync()[0]!) / scale;
}

describe('PyTorch parity on onednn', () => {
  it.each(FIXTURE_NAMES)('%s: inference output within 1e-4', (name) => {
    const f = fixture(name);
    const model = fixtureModel(name, f);
    expect(relative(model.predict(fixtureTensor(f.input)) as tf.Tensor, f.output)).toBeLessThan(1e-4);
    model.dispose();
  });

  it('resnet-block-bn: training-mode output (batch statistics) within 1e-4', () => {
    const f = fixture('resnet-block-bn');
    const model = fixtureModel('resnet-block-bn', f);
    const y = model.apply(fixtureTensor(f.input), { training: true }) as tf.Tensor;
    expect(relative(y, f.outputTraining!)).toBeLessThan(1e-4);
    model.dispose();
  });

  it.each(['dense-skip-add', 'dense-skip-concat', 'toy-resnet'] as const)(
    '%s: loss and gradients within 1e-3',
    (name) => {
      const f = fixture(name);
      const model = fixtureModel(name, f);
      const { loss, grads } = fixtureLossAndGrads(model, f);
      expect(loss.dataSync()[0]).toBeCloseTo(f.loss!, 4);
      grads.forEach((g, i) => expect(relative(g, f.grads![i]!), f.grads![i]!.name).toBeLessThan(1e-3));
      model.dispose();
    },
  );
});

describe('the layer contract on onednn', () => {
  it.each(SKIP_CONNECTION_CONTRACTS)('%s', async (_, contract) => {
    await checkLayerContract(contract);
    expect(tf.getBackend()).toBe('onednn');
  });
});
