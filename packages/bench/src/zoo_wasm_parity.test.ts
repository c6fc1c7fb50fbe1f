import * as tf from '@tensorflow/tfjs';
import { denseNet, highwayNet, plainNet, resnet, toyResNet, unet } from 'tfjs-skip/zoo';
import 'tfjs-wasm-train';
import { describe, expect, it } from 'vitest';

/**
 * Every zoo architecture, on wasm with tfjs-wasm-train's kernels (Winograd,
 * SIMD batch norm and its fused gradient, per-channel ops, pooling), gives
 * the loss and gradients of the cpu backend for the same weights and batch:
 * the kernels checked one by one, checked together. Training mode (batch
 * statistics) for every model but the toy ResNet, whose Dropout would draw
 * different masks on the two backends.
 */
const models: Array<[string, () => tf.LayersModel, number[], boolean]> = [
  ['toy ResNet', () => toyResNet({ inputShape: [16, 16, 3] }), [16, 16, 3], false],
  ['ResNet-8', () => resnet({ depth: 8, inputShape: [16, 16, 3] }), [16, 16, 3], true],
  ['plain-8', () => plainNet({ depth: 8, inputShape: [16, 16, 3] }), [16, 16, 3], true],
  ['DenseNet-BC', () => denseNet({ depth: 16, growthRate: 8, bottleneck: true, compression: 0.5, inputShape: [16, 16, 3] }), [16, 16, 3], true],
  ['highway net', () => highwayNet({ depth: 4, units: 16, inputShape: [12] }), [12], true],
  ['U-Net', () => unet({ filters: 16, depth: 2, inputShape: [16, 16, 3], classes: 3 }), [16, 16, 3], true],
];

async function lossAndGrads(backend: string, build: () => tf.LayersModel, inputShape: number[], training: boolean, weights?: tf.Tensor[]) {
  await tf.setBackend(backend);
  const model = build();
  if (weights) model.setWeights(weights);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor(Float32Array.from({ length: 4 * size(inputShape) }, (_, i) => Math.sin(i * 0.61)), [4, ...inputShape]);
  const outShape = (model.outputs[0]!.shape as number[]).slice(1);
  const r = tf.tensor(Float32Array.from({ length: 4 * size(outShape) }, (_, i) => Math.cos(i * 0.37)), [4, ...outShape]);
  const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const { value, grads } = tf.variableGrads(() => (model.apply(x, { training }) as tf.Tensor).mul(r).mean() as tf.Scalar, variables);
  const result = {
    loss: value.dataSync()[0]!,
    grads: variables.map((v) => [v.name, grads[v.name]!.dataSync() as Float32Array] as const),
    weights: model.getWeights().map((w) => tf.tensor(w.dataSync(), w.shape)),
  };
  tf.dispose([x, r, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

const largest = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('the zoo on wasm against cpu', () => {
  it.each(models)('%s: same loss and gradients', async (_, build, inputShape, training) => {
    const cpu = await lossAndGrads('cpu', build, inputShape, training);
    const wasm = await lossAndGrads('wasm', build, inputShape, training, cpu.weights);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.loss)));
    const overall = Math.max(...cpu.grads.map(([, g]) => largest(g)));
    cpu.grads.forEach(([name, g], i) => {
      const w = wasm.grads[i]![1];
      let worst = 0;
      for (let k = 0; k < g.length; k++) worst = Math.max(worst, Math.abs(w[k]! - g[k]!));
      // Relative to the variable's own gradient, with a floor for gradients that are ~0 by construction
      // (a conv bias right before batch norm).
      expect(worst, name).toBeLessThan(1e-3 * Math.max(largest(g), 1e-3 * overall));
    });
    tf.dispose([...cpu.weights, ...wasm.weights]);
  });
});
