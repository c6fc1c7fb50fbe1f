/**
 * Property tests over random nested SkipConnection models: random depths,
 * widths, merges, optional projection skips, Dense and Conv2D paths. For
 * each: the inferred output shape is the real one, `toJSON` → `fromConfig`
 * and save → `loadModel` round trips are exact, and no tensor is leaked.
 *
 * A fixed seed and a modest number of runs in CI; `FUZZ_RUNS` and
 * `FUZZ_SEED` run longer or elsewhere (`npm run fuzz -w tfjs-skip`).
 */
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadModel } from './io/load_model.js';
import { MERGE_NAMES, skipConnection, type MergeName } from './index.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 0) || 30;
/** `FUZZ_SEED=random` draws one; fast-check prints it with any counterexample. */
const SEED =
  process.env['FUZZ_SEED'] === 'random' ? Date.now() % 2 ** 31 : Number(process.env['FUZZ_SEED'] ?? 20261123);

type Block =
  | { kind: 'dense'; units: number; activation: string }
  | { kind: 'conv'; filters: number; kernel: 1 | 3 }
  | { kind: 'skip'; main: Block[]; how: MergeName; projection: boolean; bn: boolean };

const activations = ['linear', 'relu', 'tanh', 'sigmoid'];

function blocks(conv: boolean): fc.Arbitrary<Block[]> {
  const { path } = fc.letrec<{ block: Block; path: Block[] }>((tie) => ({
    block: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({
        kind: fc.constant('dense' as const),
        units: fc.integer({ min: 1, max: 6 }),
        activation: fc.constantFrom(...activations),
      }),
      ...(conv
        ? [
            fc.record({
              kind: fc.constant('conv' as const),
              filters: fc.integer({ min: 1, max: 4 }),
              kernel: fc.constantFrom(1 as const, 3 as const),
            }),
          ]
        : []),
      fc.record({
        kind: fc.constant('skip' as const),
        main: tie('path'),
        how: fc.constantFrom(...MERGE_NAMES),
        projection: fc.boolean(),
        bn: fc.boolean(),
      }),
    ),
    path: fc.array(tie('block'), { minLength: 1, maxLength: 3 }),
  }));
  return path;
}

/** Layers for `path` from `width` channels, and the width they output. */
function layersOf(path: Block[], width: number, conv: boolean): { layers: tf.layers.Layer[]; width: number } {
  const layers: tf.layers.Layer[] = [];
  for (const b of path) {
    if (b.kind === 'dense') {
      layers.push(tf.layers.dense({ units: b.units, activation: b.activation as never }));
      width = b.units;
    } else if (b.kind === 'conv') {
      layers.push(tf.layers.conv2d({ filters: b.filters, kernelSize: b.kernel, padding: 'same' }));
      width = b.filters;
    } else {
      const main = layersOf(b.main, width, conv);
      if (b.bn) main.layers.push(tf.layers.batchNormalization());
      // A projection when asked, and whenever an elementwise merge needs one.
      const project = b.projection || (b.how !== 'concat' && main.width !== width);
      const target = b.how === 'concat' ? width : main.width;
      const skipPath = !project
        ? []
        : conv
          ? [tf.layers.conv2d({ filters: target, kernelSize: 1 })]
          : [tf.layers.dense({ units: target, useBias: false })];
      layers.push(skipConnection({ mainPath: main.layers, skipPath, how: b.how }));
      width = b.how === 'concat' ? main.width + target : main.width;
    }
  }
  return { layers, width };
}

const nesting = (path: Block[]): number =>
  Math.max(0, ...path.map((b) => (b.kind === 'skip' ? 1 + nesting(b.main) : 0)));

async function roundTrip(model: tf.LayersModel): Promise<tf.LayersModel> {
  let saved!: tf.io.ModelArtifacts;
  await model.save(
    tf.io.withSaveHandler(
      (a) => ((saved = a), Promise.resolve({ modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
    ),
  );
  return loadModel(saved);
}

describe('random nested SkipConnection models', () => {
  it.each([
    ['Dense', false, [7]],
    ['Conv2D', true, [5, 5, 3]],
  ] as const)('%s paths: shapes, config and save/load round trips, no leaks', async (_name, conv, inputShape) => {
    const depths = new Set<number>();
    await fc.assert(
      fc.asyncProperty(blocks(conv), fc.integer({ min: 1, max: 3 }), async (path, batch) => {
        depths.add(nesting(path));
        const before = tf.memory().numTensors;
        const { layers } = layersOf(path, inputShape[inputShape.length - 1], conv);
        const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [...inputShape] }), ...layers] });
        const x = tf.randomNormal([batch, ...inputShape]);
        const y = model.predict(x) as tf.Tensor;
        expect(model.outputShape).toEqual([null, ...y.shape.slice(1)]);

        const json = model.toJSON(null, false);
        const rebuilt = await tf.models.modelFromJSON({ modelTopology: json });
        expect(rebuilt.toJSON(null, false)).toEqual(json);
        expect(rebuilt.countParams()).toBe(model.countParams());

        const loaded = await roundTrip(model);
        expect(loaded.toJSON(null, false)).toEqual(json);
        const z = loaded.predict(x) as tf.Tensor;
        expect([...z.dataSync()]).toEqual([...y.dataSync()]);
        const same = loaded
          .getWeights()
          .every((w, i) => tf.tidy(() => tf.equal(w, model.getWeights()[i]).all().dataSync()[0] === 1));
        expect(same).toBe(true);

        tf.dispose([x, y, z]);
        [model, rebuilt, loaded].forEach((m) => m.dispose());
        expect(tf.memory().numTensors).toBe(before);
      }),
      // FUZZ_SEED and FUZZ_PATH (both printed with a counterexample) replay one failure.
      {
        numRuns: RUNS,
        seed: SEED,
        endOnFailure: true,
        ...(process.env['FUZZ_PATH'] && { path: process.env['FUZZ_PATH'] }),
      },
    );
    // The generator reaches nested skips, not only flat ones.
    expect(Math.max(...depths)).toBeGreaterThanOrEqual(3);
  });
});
