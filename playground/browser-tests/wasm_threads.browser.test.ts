import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { limitWasmThreads, useWasmThreads, wasmSimdStatus, wasmThreads } from 'tfjs-wasm-train';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { beforeAll, describe, expect, it } from 'vitest';

/** Every element within `rtol` times the largest |expected|. */
function expectCloseRelative(actual: Float32Array, expected: Float32Array, rtol: number, what: string): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  expected.forEach((e, i) => {
    scale = Math.max(scale, Math.abs(e));
    worst = Math.max(worst, Math.abs(actual[i]! - e));
  });
  expect(worst, `${what}: max |difference| ${worst} against max |expected| ${scale}`).toBeLessThanOrEqual(
    rtol * Math.max(scale, 1e-12),
  );
}

/** The machine's cores, and at least two: the point is more than one thread. */
const THREADS = Math.max(2, navigator.hardwareConcurrency);

beforeAll(async () => {
  await useWasmThreads({ threads: THREADS, wasmBinary: wasmSimdUrl });
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
});

/**
 * One SGD step of a seeded conv net (3x3 convolutions, batch norm in training
 * mode, max pooling, dense) on a seeded batch: the loss, every gradient and
 * every weight after the step.
 */
function trainingStep(): { loss: number; grads: Float32Array[]; weights: Float32Array[] } {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      // No bias before the batch norm: its gradient would be zero up to rounding, which no tolerance can compare.
      tf.layers.conv2d({
        inputShape: [12, 12, 4],
        filters: 16,
        kernelSize: 3,
        padding: 'same',
        useBias: false,
        kernelInitializer: init(1),
      }),
      tf.layers.batchNormalization(),
      tf.layers.reLU(),
      tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', kernelInitializer: init(2) }),
      tf.layers.reLU(),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: init(3) }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, kernelInitializer: init(4) }),
    ],
  });
  const batch = 8;
  const x = tf.randomUniform([batch, 12, 12, 4], -1, 1, 'float32', 7);
  const labels = tf.oneHot(
    tf.tensor1d(
      Array.from({ length: batch }, (_, i) => i % 10),
      'int32',
    ),
    10,
  );
  const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor),
    variables,
  );
  tf.train.sgd(0.1).applyGradients(grads);
  const result = {
    loss: value.dataSync()[0]!,
    grads: variables.map((v) => grads[v.name]!.dataSync() as Float32Array),
    weights: variables.map((v) => v.dataSync() as Float32Array),
  };
  tf.dispose([x, labels, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('the wasm backend on several threads in Chromium', () => {
  it('runs in a cross-origin isolated page, so it has shared memory', () => {
    expect(crossOriginIsolated).toBe(true);
    expect(typeof SharedArrayBuffer).toBe('function');
  });

  it('starts more than one thread', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmThreads()).toMatchObject({ requested: THREADS, threads: THREADS, fallback: null });
    expect(wasmThreads().threads).toBeGreaterThan(1);
  });

  it('trains a conv net one step like one thread does, the work split across the threads', () => {
    expect(wasmSimdStatus()).toBe('ready');
    const before = wasmThreads().jobs;
    const many = trainingStep();
    const jobs = wasmThreads().jobs - before;
    limitWasmThreads(1);
    let one: ReturnType<typeof trainingStep>;
    try {
      one = trainingStep();
    } finally {
      limitWasmThreads(THREADS);
    }
    expect(jobs, 'kernels split across the threads').toBeGreaterThan(0);
    expect(wasmThreads().jobs - before - jobs, 'kernels split on one thread').toBe(0);
    expect(Number.isFinite(many.loss)).toBe(true);
    expect(Math.abs(many.loss - one.loss)).toBeLessThanOrEqual(1e-5 * Math.abs(one.loss));
    many.grads.forEach((g, i) => expectCloseRelative(g, one.grads[i]!, 1e-5, `gradient ${i}: ${THREADS} threads vs 1`));
    many.weights.forEach((w, i) => expectCloseRelative(w, one.weights[i]!, 1e-5, `weight ${i} after the step`));
  });
});
