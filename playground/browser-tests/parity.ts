import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  fixtureLossAndGrads,
  fixtureModel,
  FIXTURE_MODELS,
  FIXTURE_NAMES,
  fixtureTensor as tensor,
  type Fixture,
  type FixtureName,
  type NamedArray,
} from 'tfjs-skip/testing';
import resnetBlockBn from 'tfjs-skip/fixtures/resnet-block-bn.json';
import denseSkipAdd from 'tfjs-skip/fixtures/dense-skip-add.json';
import denseSkipConcat from 'tfjs-skip/fixtures/dense-skip-concat.json';
import toyResnet from 'tfjs-skip/fixtures/toy-resnet.json';

/**
 * PyTorch parity in the browser: the fixtures of the Node suite
 * (`packages/tfjs-skip/src/fixtures.test.ts`, from `../shared/fixtures/`),
 * bundled by Vite as JSON, checked on the backend under test.
 */
const FIXTURES: Record<FixtureName, Fixture> = {
  'dense-skip-add': denseSkipAdd,
  'dense-skip-concat': denseSkipConcat,
  'toy-resnet': toyResnet,
  'resnet-block-bn': resnetBlockBn,
};

function loaded(name: FixtureName): { f: Fixture; model: tf.Sequential } {
  const f = FIXTURES[name];
  const built = FIXTURE_MODELS[name]();
  expect(built.countParams()).toBe(f.params);
  expect(built.getWeights().map((w) => w.shape)).toEqual(f.weights.map((w) => w.shape));
  built.dispose();
  return { f, model: fixtureModel(name, f) };
}

async function maxAbsDiff(actual: tf.Tensor, expected: NamedArray): Promise<number> {
  expect(actual.shape).toEqual(expected.shape);
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, tensor(expected)))));
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

export function pytorchParity(): void {
  describe('PyTorch parity', () => {
    it.each(FIXTURE_NAMES)('%s: inference output within 1e-4', async (name) => {
      const { f, model } = loaded(name);
      expect(
        await maxAbsDiff(model.predict(tensor(f.input)) as tf.Tensor, f.output),
        `max |diff| of ${f.output.name}`,
      ).toBeLessThan(1e-4);
      model.dispose();
    });

    it('resnet-block-bn: training-mode output (batch statistics) within 1e-4', async () => {
      const { f, model } = loaded('resnet-block-bn');
      expect(
        await maxAbsDiff(model.apply(tensor(f.input), { training: true }) as tf.Tensor, f.outputTraining!),
      ).toBeLessThan(1e-4);
      model.dispose();
    });

    it.each(['dense-skip-add', 'dense-skip-concat', 'toy-resnet'] as const)(
      '%s: loss and gradients within 1e-3 relative',
      async (name) => {
        const { f, model } = loaded(name);
        const { loss, grads } = fixtureLossAndGrads(model, f);
        expect((await loss.data())[0]).toBeCloseTo(f.loss!, 4);
        for (const [i, actual] of grads.entries()) {
          const expected = f.grads![i];
          const scale = Math.max(...expected.data.map(Math.abs));
          expect((await maxAbsDiff(actual, expected)) / scale, `gradient of ${expected.name}`).toBeLessThan(1e-3);
        }
        tf.dispose([loss, ...grads]);
        model.dispose();
      },
    );
  });
}
