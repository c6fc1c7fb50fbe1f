import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { BatchNormalization, batchNormalization } from './batch_norm.js';

const stockLayer = (args: Parameters<typeof tf.layers.batchNormalization>[0] = {}) =>
  tf.layers.batchNormalization(args);

/** A layer built for `shape` with seeded gamma and beta (moving statistics at their initial values). */
function built(layer: tf.layers.Layer, shape: number[]): tf.layers.Layer {
  layer.apply(tf.input({ shape: shape.slice(1) }));
  const weights = layer.getWeights();
  layer.setWeights(weights.map((w, i) => (i < 2 ? tf.randomNormal(w.shape, 1, 0.5, 'float32', 10 + i) : w.clone())));
  return layer;
}

/** y, the input gradient, the weights' gradients and the moving statistics after one training call. */
function trainingCall(layer: tf.layers.Layer, x: tf.Tensor, r: tf.Tensor) {
  const weights = layer.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const f = (input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input, { training: true }) as tf.Tensor, r));
  const y = tf.tidy(() => (layer.apply(x, { training: true }) as tf.Tensor).clone());
  const dx = tf.grad(f)(x);
  // Without gamma and beta there is no weight to differentiate (variableGrads refuses none); the call still updates
  // the moving statistics, as each call here does.
  let grads: tf.NamedTensorMap = {};
  if (weights.length > 0) grads = tf.variableGrads(() => f(x) as tf.Scalar, weights).grads;
  else tf.dispose(f(x));
  const moving = layer.getWeights().slice(weights.length);
  const out = {
    y: Array.from(y.dataSync()),
    dx: Array.from(dx.dataSync()),
    dWeights: weights.map((w) => Array.from(grads[w.name]!.dataSync())),
    moving: moving.map((m) => Array.from(m.dataSync())),
  };
  tf.dispose([y, dx, ...Object.values(grads)]);
  return out;
}

function expectClose(actual: number[], expected: number[], rtol: number, what: string): void {
  const scale = Math.max(...expected.map(Math.abs), 1e-12);
  const worst = Math.max(...actual.map((a, i) => Math.abs(a - expected[i]!)));
  expect(worst / scale, what).toBeLessThan(rtol);
}

describe('BatchNormalization (fused training gradient)', () => {
  it.each([[[6, 5, 4, 8]], [[9, 7]], [[3, 2, 2, 5]]])(
    "trains like tfjs-layers' layer: the same y and moving statistics, gradients within 1e-5 (%j)",
    (shape) => {
      const x = tf.randomNormal(shape, 2, 3, 'float32', 1);
      const r = tf.randomNormal(shape, 0, 1, 'float32', 2);
      const ours = trainingCall(built(batchNormalization({ momentum: 0.9 }), shape), x, r);
      const stock = trainingCall(built(stockLayer({ momentum: 0.9 }), shape), x, r);
      expect(ours.y).toEqual(stock.y);
      expect(ours.moving).toEqual(stock.moving);
      expectClose(ours.dx, stock.dx, 1e-5, 'dx');
      ours.dWeights.forEach((d, i) => expectClose(d, stock.dWeights[i]!, 1e-5, `d${['gamma', 'beta'][i]}`));
      tf.dispose([x, r]);
    },
  );

  // Keras's scale=False / center=False (InceptionV3's, InceptionResNetV2's): tfjs-layers never assigns the missing
  // weight, and its own training path throws on it; ours trains as the full layer at gamma 1 / beta 0.
  it.each<[{ scale?: boolean; center?: boolean }]>([
    [{ scale: false }],
    [{ center: false }],
    [{ scale: false, center: false }],
  ])('trains without gamma or beta (%j) as the full layer at their initial 1 and 0', (args) => {
    const shape = [6, 3, 3, 5];
    const x = tf.randomNormal(shape, 2, 3, 'float32', 4);
    const r = tf.randomNormal(shape, 0, 1, 'float32', 5);
    const partial = batchNormalization({ momentum: 0.9, ...args });
    partial.apply(tf.input({ shape: shape.slice(1) }));
    const full = batchNormalization({ momentum: 0.9 });
    full.apply(tf.input({ shape: shape.slice(1) }));
    const ours = trainingCall(partial, x, r);
    const reference = trainingCall(full, x, r);
    expect(ours.y).toEqual(reference.y);
    expect(ours.moving).toEqual(reference.moving);
    expect(ours.dx).toEqual(reference.dx);
    const kept = [args.scale !== false, args.center !== false];
    expect(ours.dWeights).toEqual(reference.dWeights.filter((_, i) => kept[i]));
    tf.dispose([x, r]);
  });

  it("hands inference to tfjs-layers' code, unchanged, with and without gamma and beta", () => {
    const shape = [4, 3, 3, 6];
    const x = tf.randomNormal(shape, 0, 1, 'float32', 3);
    for (const args of [{}, { center: false }, { scale: false }]) {
      const [a, b] = [built(batchNormalization(args), shape), built(stockLayer(args), shape)];
      expect(Array.from((a.apply(x) as tf.Tensor).dataSync()), JSON.stringify(args)).toEqual(
        Array.from((b.apply(x) as tf.Tensor).dataSync()),
      );
    }
    x.dispose();
  });

  it('keeps no tensor from a training call but its output', () => {
    const layer = built(batchNormalization(), [4, 3, 3, 8]);
    const x = tf.randomNormal([4, 3, 3, 8]);
    layer.apply(x, { training: true }); // first call creates nothing lasting either, but warm up anyway
    const before = tf.memory().numTensors;
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([x, y]);
  });

  it('records one op on the gradient tape: the moving averages are updated off it', () => {
    const layer = built(batchNormalization(), [4, 3, 3, 8]);
    const x = tf.randomNormal([4, 3, 3, 8]);
    const movingBefore = layer.getWeights()[2]!.dataSync().slice();
    let taped: string[] = [];
    const dx = tf.grad((input: tf.Tensor) => {
      const y = layer.apply(input, { training: true }) as tf.Tensor;
      const tape = (tf.engine().state as unknown as { activeTape: { kernelName: string }[] }).activeTape;
      taped = tape.map((node) => node.kernelName);
      return tf.sum(y);
    })(x);
    // tfjs-core's Engine.clone tapes each copy it makes of a saved tensor as an 'unnamed scope' node (four here).
    expect(taped.filter((name) => name !== 'unnamed scope')).toEqual(['batchNormTraining__op']);
    expect(layer.getWeights()[2]!.dataSync(), 'the moving mean moved').not.toEqual(movingBefore);
    tf.dispose([x, dx]);
  });

  it("saves as Keras' BatchNormalization and loads back as itself", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [3], units: 4 }), batchNormalization()] });
    const json = model.toJSON(undefined, false) as { config: { layers: Array<{ class_name: string }> } };
    expect(json.config.layers.map((l) => l.class_name)).toEqual(['Dense', 'BatchNormalization']);
    const loaded = await tf.models.modelFromJSON(json as unknown as tf.serialization.ConfigDict);
    expect(loaded.layers[1]).toBeInstanceOf(BatchNormalization);
    expect(loaded.layers[1]!.getClassName()).toBe('BatchNormalization');
    model.dispose();
    loaded.dispose();
  });
});
