import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import '../index.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';
import { limitWasmThreads, useWasmThreads, wasmThreads } from './backend.js';

const THREADS = 3; // an odd count: slices of unequal length

beforeAll(async () => {
  await useWasmThreads({ threads: THREADS });
  await useBackend('wasm');
});

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** f's value and its gradients with respect to every input, on seeded inputs, on the current backend. */
function valueAndGrads(shapes: number[][], f: (...t: tf.Tensor[]) => tf.Tensor, seed: number): Float32Array[] {
  const random = seededRandom(seed);
  const inputs = shapes.map((s) => tf.tensor(randomValues(random, size(s)), s));
  const y = f(...inputs);
  const r = tf.tensor(randomValues(random, size(y.shape)), y.shape);
  const grads = tf.grads((...t: tf.Tensor[]) =>
    f(...t)
      .mul(r)
      .sum(),
  )(inputs);
  const out = [y, ...grads].map((t) => t.dataSync() as Float32Array);
  tf.dispose([...inputs, y, r, ...grads]);
  return out;
}

/** The same on the threaded wasm backend with `threads` threads, and on the cpu backend. */
async function onThreadsAndCpu(threads: number, shapes: number[][], f: (...t: tf.Tensor[]) => tf.Tensor, seed = 1) {
  await useBackend('cpu');
  const cpu = valueAndGrads(shapes, f, seed);
  await useBackend('wasm');
  limitWasmThreads(threads);
  try {
    return { wasm: valueAndGrads(shapes, f, seed), cpu };
  } finally {
    limitWasmThreads(THREADS);
  }
}

/** The values of kernel `name`'s outputs on `threads` threads (the tensors themselves disposed). */
function kernelOutputsOn(threads: number, name: string, inputs: tf.NamedTensorMap, attrs: object): Float32Array[] {
  limitWasmThreads(threads);
  try {
    const out = tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor[];
    const values = out.map((t) => t.dataSync() as Float32Array);
    tf.dispose(out);
    return values;
  } finally {
    limitWasmThreads(THREADS);
  }
}

const convCase = fc.record({
  n: fc.integer({ min: 1, max: 7 }),
  h: fc.integer({ min: 3, max: 13 }),
  w: fc.integer({ min: 3, max: 13 }),
  ci: fc.constantFrom(3, 16, 20, 32),
  co: fc.constantFrom(16, 24, 32),
  k: fc.constantFrom(1, 3),
  stride: fc.constantFrom(1, 1, 2),
  pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
});

describe('the wasm backend on a pool of threads', () => {
  it('starts the threads asked for', () => {
    expect(wasmThreads()).toMatchObject({ requested: THREADS, threads: THREADS, fallback: null });
  });

  it('convolves and differentiates like one thread and like the cpu backend, over shapes', async () => {
    const jobs = wasmThreads().jobs;
    await fc.assert(
      fc.asyncProperty(convCase, async ({ n, h, w, ci, co, k, stride, pad }) => {
        if (pad === 'valid' && (h < k || w < k)) return;
        const f = (x: tf.Tensor, filter: tf.Tensor) =>
          tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, stride, pad).relu();
        const shapes = [
          [n, h, w, ci],
          [k, k, ci, co],
        ];
        const one = await onThreadsAndCpu(1, shapes, f);
        const many = await onThreadsAndCpu(THREADS, shapes, f);
        const what = `x [${shapes[0]}] filter [${shapes[1]}] stride ${stride} ${pad}`;
        ['y', 'dx', 'dw'].forEach((name, i) => {
          expectCloseRelative(many.wasm[i]!, one.wasm[i]!, 1e-5, `${name} of ${what}: ${THREADS} threads vs 1`);
          expectCloseRelative(many.wasm[i]!, many.cpu[i]!, 1e-4, `${name} of ${what}: ${THREADS} threads vs cpu`);
        });
        // Per-image work (y and dx) is done the same way whichever thread does it.
        expect(many.wasm[0]).toEqual(one.wasm[0]);
        expect(many.wasm[1]).toEqual(one.wasm[1]);
      }),
      { numRuns: 12, seed: 7 },
    );
    expect(wasmThreads().jobs).toBeGreaterThan(jobs + 12); // the kernels did split their work
  });

  it('normalizes batches, pools and reduces like the cpu backend, over shapes', async () => {
    const jobs = wasmThreads().jobs;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 4, max: 16 }),
        fc.constantFrom(8, 16, 30, 64),
        async (n, hw, c) => {
          const f = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
            const { mean, variance } = tf.moments(x, [0, 1, 2]);
            const y = tf.batchNorm(x as tf.Tensor4D, mean, variance, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3);
            const pooled = tf.maxPool(y.relu().add(tf.mean(x, [0], true)) as tf.Tensor4D, 2, 2, 'same');
            return pooled.add(tf.avgPool(y as tf.Tensor4D, 1, 2, 'same'));
          };
          const shapes = [[n, hw, hw, c], [c], [c]];
          const { wasm, cpu } = await onThreadsAndCpu(THREADS, shapes, f, n * 100 + hw);
          ['y', 'dx', 'dscale', 'doffset'].forEach((name, i) =>
            expectCloseRelative(wasm[i]!, cpu[i]!, 1e-4, `${name} of [${shapes[0]}]`),
          );
        },
      ),
      { numRuns: 10, seed: 11 },
    );
    expect(wasmThreads().jobs).toBeGreaterThan(jobs);
  });

  it('splits element-wise passes, with the same bits as one thread, over sizes', async () => {
    const jobs = wasmThreads().jobs;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 70000 }), fc.nat(), async (count, seed) => {
        const f = (a: tf.Tensor, b: tf.Tensor) =>
          tf.tidy(() => {
            const y = tf.relu(a).mul(b).add(tf.step(b, 0.1)).sub(tf.square(a)).mul(0.5);
            return y.div(tf.scalar(3).add(b.square()));
          });
        const shapes = [[count], [count]];
        const one = await onThreadsAndCpu(1, shapes, f, seed);
        const many = await onThreadsAndCpu(THREADS, shapes, f, seed);
        expect(many.wasm).toEqual(one.wasm);
        expectCloseRelative(many.wasm[0]!, many.cpu[0]!, 1e-6, `y of ${count} elements vs cpu`);
      }),
      { numRuns: 8, seed: 3 },
    );
    expect(wasmThreads().jobs).toBeGreaterThan(jobs + 8);
  });

  it('treats NaN, signed zeros and infinities in split element-wise passes as the cpu backend does', async () => {
    const special = [NaN, 0, -0, -2, 3, 1e-30, -Infinity, Infinity, 0.5];
    const values = Float32Array.from({ length: 20000 }, (_, i) => special[i % special.length]!);
    const passes = (x: tf.Tensor) => [tf.relu(x), tf.step(x, 0.5), tf.square(x), x.mul(-0), x.add(x), x.div(x)];
    const results: Record<string, Float32Array[]> = {};
    for (const backend of ['cpu', 'wasm']) {
      await useBackend(backend);
      const x = tf.tensor1d(values);
      const ys = passes(x);
      results[backend] = ys.map((y) => y.dataSync() as Float32Array);
      tf.dispose([x, ...ys]);
    }
    expect(results.wasm).toEqual(results.cpu);
  });

  it('differentiates batch norm on batch statistics (one kernel) like one thread', async () => {
    await useBackend('wasm');
    const random = seededRandom(21);
    const shape = [16, 12, 12, 32];
    const [x, dy] = [shape, shape].map((s) => tf.tensor(randomValues(random, size(s)), s));
    const scale = tf.tensor1d(randomValues(random, 32));
    const { mean, variance } = tf.moments(x!, [0, 1, 2]);
    const inputs = { dy: dy!, x: x!, mean, variance, scale };
    const run = (threads: number) =>
      kernelOutputsOn(threads, 'TfjsWasmTrainBatchNormTrainGrad', inputs, { varianceEpsilon: 1e-3 });
    const jobs = wasmThreads().jobs;
    const [one, many] = [run(1), run(THREADS)];
    expect(wasmThreads().jobs).toBeGreaterThan(jobs);
    ['dx', 'dscale', 'doffset'].forEach((name, i) => expectCloseRelative(many[i]!, one[i]!, 1e-5, name));
    tf.dispose([x!, dy!, scale, mean, variance]);
  });

  it('splits the Adam update, with the same bits as one thread', async () => {
    await useBackend('wasm');
    const random = seededRandom(33);
    const shape = [3, 3, 64, 72];
    const [value, m, v, gradient] = [0, 1, 2, 3].map((i) =>
      tf.tensor(
        randomValues(random, size(shape)).map((x) => (i === 2 ? Math.abs(x) : x)),
        shape,
      ),
    );
    const attrs = {
      beta1: 0.9,
      beta2: 0.999,
      epsilon: 1e-7,
      learningRate: 0.003,
      oneMinusAccBeta1: 0.19,
      oneMinusAccBeta2: 0.002,
    };
    const inputs = { value: value!, m: m!, v: v!, gradient: gradient! };
    const run = (threads: number) => kernelOutputsOn(threads, 'TfjsWasmTrainAdamUpdate', inputs, attrs);
    const jobs = wasmThreads().jobs;
    const one = run(1);
    expect(run(THREADS)).toEqual(one);
    expect(wasmThreads().jobs).toBeGreaterThan(jobs);
    tf.dispose([value!, m!, v!, gradient!]);
  });

  it('gives the same bits on every run for a given thread count', async () => {
    await useBackend('wasm');
    const f = (x: tf.Tensor, filter: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
    const shapes = [
      [7, 12, 12, 32],
      [3, 3, 32, 32],
    ];
    const first = valueAndGrads(shapes, f, 5);
    for (let run = 0; run < 3; run++) expect(valueAndGrads(shapes, f, 5)).toEqual(first);
  });

  it('hands no job to the pool when limited to one thread', async () => {
    await useBackend('wasm');
    // Large enough for every kernel to split (per-channel passes included), at full strength.
    const shapes = [[8, 16, 16, 64], [3, 3, 64, 64], [64], [64]];
    const f = (x: tf.Tensor, filter: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
      const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      return tf.batchNorm(y, mean, variance, offset as tf.Tensor1D, scale as tf.Tensor1D, 1e-3).relu();
    };
    const jobs = wasmThreads().jobs;
    valueAndGrads(shapes, f, 9);
    const split = wasmThreads().jobs;
    expect(split).toBeGreaterThan(jobs);
    limitWasmThreads(1);
    try {
      valueAndGrads(shapes, f, 9);
    } finally {
      limitWasmThreads(THREADS);
    }
    expect(wasmThreads().jobs).toBe(split);
  });

  it('leaves no tensor behind', async () => {
    await useBackend('wasm');
    const before = tf.memory().numTensors;
    valueAndGrads(
      [
        [4, 8, 8, 16],
        [3, 3, 16, 16],
      ],
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'),
      3,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses a thread count it did not start with', () => {
    expect(() => limitWasmThreads(THREADS + 1)).toThrow(/from 1 to 3 .*received 4/);
    expect(() => limitWasmThreads(0)).toThrow(/received 0/);
  });

  it('cannot change its thread count once started, and says how', async () => {
    await expect(useWasmThreads({ threads: 2 })).rejects.toThrow(
      /already started \(on 3 thread\(s\)\); call useWasmThreads before/,
    );
  });
});
