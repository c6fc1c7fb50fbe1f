import * as tf from '@tensorflow/tfjs';
import { buildZooModel, ZOO_MODELS } from 'tfjs-skip/zoo';
import 'tfjs-wasm-train';
import { describe, expect, it } from 'vitest';

/**
 * Every zoo architecture of the registry, on wasm with tfjs-wasm-train's
 * kernels (Winograd, SIMD batch norm and its fused gradient, per-channel ops,
 * pooling), gives the loss and gradients of the cpu backend for the same
 * weights and batch: the kernels checked one by one, checked together. Each
 * model in its small configuration, images at 16x16 so the ResNets' 16-channel
 * layers take the Winograd path. Training mode (batch statistics) for every
 * model without Dropout, whose masks would differ on the two backends.
 */
const models = ZOO_MODELS.map((m) => {
  const shape = m.small.inputShape!;
  const inputShape = shape.length === 3 ? [16, 16, shape[2]] : shape;
  return [m.id, () => buildZooModel(m, { ...m.small, inputShape }), inputShape] as const;
});

/**
 * The built model's random weights replaced by seeded ones, uniform with He's
 * variance for the fan-in (constant ones, such as batch-norm gammas and zero
 * biases, kept): the same values on every run, so a failure reproduces.
 */
function seededWeights(model: tf.LayersModel): tf.Tensor[] {
  let state = 20261123;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return model.getWeights().map((w) => {
    const values = w.dataSync() as Float32Array;
    if (values.every((v) => v === values[0])) return tf.tensor(values, w.shape);
    const fanIn = w.shape.length > 1 ? w.size / w.shape[w.shape.length - 1] : w.size;
    const limit = Math.sqrt(6 / fanIn);
    return tf.tensor(
      values.map(() => limit * (2 * random() - 1)),
      w.shape,
    );
  });
}

async function lossAndGrads(
  backend: string,
  build: () => tf.LayersModel,
  inputShape: readonly number[],
  weights?: tf.Tensor[],
) {
  await tf.setBackend(backend);
  const model = build();
  const training = !model.layers.some((l) => l.getClassName() === 'Dropout');
  model.setWeights(weights ?? seededWeights(model));
  const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor(
    Float32Array.from({ length: 4 * size(inputShape) }, (_, i) => Math.sin(i * 0.61)),
    [4, ...inputShape],
  );
  const outShape = (model.outputs[0].shape as number[]).slice(1);
  const r = tf.tensor(
    Float32Array.from({ length: 4 * size(outShape) }, (_, i) => Math.cos(i * 0.37)),
    [4, ...outShape],
  );
  const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const { value, grads } = tf.variableGrads(
    () => (model.apply(x, { training }) as tf.Tensor).mul(r).mean<tf.Scalar>(),
    variables,
  );
  const result = {
    loss: value.dataSync()[0],
    grads: variables.map((v) => [v.name, grads[v.name].dataSync() as Float32Array] as const),
    weights: model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)),
  };
  tf.dispose([x, r, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('the zoo on wasm against cpu', () => {
  it.each(models)('%s: same loss and gradients', async (_, build, inputShape) => {
    const cpu = await lossAndGrads('cpu', build, inputShape);
    const wasm = await lossAndGrads('wasm', build, inputShape, cpu.weights);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    const norm = (a: ArrayLike<number>) => Math.sqrt(Array.from(a).reduce((sum, v) => sum + v * v, 0));
    const overall = Math.max(...cpu.grads.map(([, g]) => norm(g)));
    cpu.grads.forEach(([name, g], i) => {
      const w = wasm.grads[i][1];
      // Relative 2-norm of the difference: a pre-activation within rounding of 0 may pass relu on one
      // backend and not the other (Winograd rounds differently from a direct convolution), which
      // changes a few elements, not the whole. Floor for gradients ~0 by construction (a conv bias
      // right before batch norm).
      expect(norm(Array.from(g, (v, k) => v - w[k])), name).toBeLessThan(1e-4 * Math.max(norm(g), 1e-3 * overall));
    });
    tf.dispose([...cpu.weights, ...wasm.weights]);
  });
});
