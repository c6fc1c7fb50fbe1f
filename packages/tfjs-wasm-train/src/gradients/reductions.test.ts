import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import { setSimdKernels } from '../simd/module.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

afterEach(() => setSimdKernels(true));

/** d/dx of sum(reduce(x, axis) * r), its value, and the kernels the gradient ran. */
async function reduceGrad(backend: string, op: 'mean' | 'sum', shape: number[], axis: number[], keepDims: boolean) {
  await useBackend(backend);
  const random = seededRandom(shape.length * 5 + axis.length);
  const x = tf.tensor(
    randomValues(
      random,
      shape.reduce((a, b) => a * b, 1),
    ),
    shape,
  );
  const reduce = (a: tf.Tensor) => (op === 'mean' ? tf.mean(a, axis, keepDims) : tf.sum(a, axis, keepDims));
  const r = tf.tensor(randomValues(random, reduce(x).size), reduce(x).shape);
  const f = (a: tf.Tensor) => reduce(a).mul(r).sum();
  const profile = await tf.profile(() => tf.grad(f)(x));
  const dx = tf.grad(f)(x);
  const result = { shape: dx.shape, values: Array.from(await dx.data()), kernels: new Set(profile.kernelNames) };
  tf.dispose([x, r, dx]);
  return result;
}

describe('the gradients of Mean and Sum over leading axes on wasm', () => {
  it.each([
    ['mean', [8, 5, 4, 16], [0, 1, 2], false],
    ['mean', [8, 5, 4, 16], [0, 1, 2], true],
    ['sum', [6, 7], [0], false],
    ['sum', [3, 4, 5, 7], [0, 1], true], // 35 columns: a scalar tail
  ] as const)("%s over [%j] axes %j keepDims %s: one broadcast, cpu's values", async (op, shape, axis, keepDims) => {
    const cpu = await reduceGrad('cpu', op, [...shape], [...axis], keepDims);
    const wasm = await reduceGrad('wasm', op, [...shape], [...axis], keepDims);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.kernels.has('TfjsWasmTrainBroadcastRows')).toBe(true);
    expectCloseRelative(wasm.values, cpu.values, 1e-6, `${op} gradient`);
  });

  it("leaves other axes, and everything without the SIMD kernels, to tfjs-core's gradient", async () => {
    const cpu = await reduceGrad('cpu', 'mean', [4, 5, 6], [1, 2], false);
    const wasm = await reduceGrad('wasm', 'mean', [4, 5, 6], [1, 2], false);
    expect(wasm.kernels.has('TfjsWasmTrainBroadcastRows')).toBe(false);
    expectCloseRelative(wasm.values, cpu.values, 1e-6, 'mean over trailing axes');
    setSimdKernels(false);
    const plain = await reduceGrad('wasm', 'mean', [8, 5, 4, 16], [0, 1, 2], false);
    expect(plain.kernels.has('TfjsWasmTrainBroadcastRows')).toBe(false);
    expectCloseRelative(
      plain.values,
      (await reduceGrad('cpu', 'mean', [8, 5, 4, 16], [0, 1, 2], false)).values,
      1e-6,
      'mean, no SIMD',
    );
  });
});
