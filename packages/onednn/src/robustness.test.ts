import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as tf from '@tensorflow/tfjs';
import { BATCH_NORM_TRAIN } from 'tfjs-skip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onednnInfo, onednnProblem, setOnednnThreads } from './index.js';
import { addon } from './native.js';

beforeAll(async () => {
  expect(onednnProblem()).toBeNull();
  await tf.setBackend('onednn');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * A full garbage collection, so that resident memory counts what is still referenced: freed typed
 * arrays wait for the collector, which Node 24 runs later than Node 20 (118 MiB of garbage seen).
 */
/**
 * Full collections until memory settles: V8 frees array-buffer backing stores on a background sweeper
 * (Node 24 measured 1.9 MiB still held right after one synchronous collection), so collect, yield, repeat.
 */
async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const geometry = [1, 4, 4, 2, 4, 4, 3, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1];

describe('the addon refuses what would take it outside its buffers, saying what it got', () => {
  it('a buffer shorter or longer than its shape needs', () => {
    const x = new Float32Array(32);
    const out = new Float32Array(48);
    expect(() => addon().conv2d(geometry, 'linear', 0, x, new Float32Array(3), null, out)).toThrow(
      new TypeError("onednn conv2d: argument 'filter' holds 3 floats where its shape needs 54"),
    );
    expect(() => addon().conv2d(geometry, 'linear', 0, x, new Float32Array(54), null, new Float32Array(49))).toThrow(
      /argument 'out' holds 49 floats where its shape needs 48/,
    );
  });

  it('a negative or zero size, a wrong type, a missing argument', () => {
    const bad = [...geometry];
    bad[1] = -4;
    expect(() =>
      addon().conv2dBackpropInput(bad, new Float32Array(1), new Float32Array(1), new Float32Array(1)),
    ).toThrow(/geometry item 1 is -4/);
    expect(() =>
      addon().unary('relu', 0, 0, 4, new Float64Array(4) as unknown as Float32Array, new Float32Array(4)),
    ).toThrow(/argument 'x' must be a Float32Array/);
    expect(() => (addon().binary as (...a: unknown[]) => void)('add', [2], [2])).toThrow(/argument 'a' is missing/);
    expect(() => addon().slice([4], [3], [2], new Float32Array(4), new Float32Array(2))).toThrow(/leaves x \[4\]/);
  });

  it('a name it does not know', () => {
    expect(() => addon().unary('gelu_fast', 0, 0, 2, new Float32Array(2), new Float32Array(2))).toThrow(
      /unknown element-wise op 'gelu_fast'/,
    );
  });
});

describe('the onednn kernels', () => {
  it('refuse a dtype or shape they cannot take with a typed error naming it', () => {
    const x = tf.ones([2, 3], 'int32');
    expect(() =>
      tf
        .engine()
        .runKernel(BATCH_NORM_TRAIN, { x, scale: tf.ones([3]), offset: tf.zeros([3]) }, { varianceEpsilon: 1e-3 }),
    ).toThrow(
      new TypeError(
        `${BATCH_NORM_TRAIN}: expected float32 x of rank >= 2 and float32 vectors of its 3 channels; ` +
          `'x' is int32 [2,3].`,
      ),
    );
  });

  it('run what they do not take natively on the cpu kernels (int32, empty tensors)', () => {
    expect(Array.from(tf.add(tf.tensor([1, 2], [2], 'int32'), tf.tensor([3, 4], [2], 'int32')).dataSync())).toEqual([
      4, 6,
    ]);
    expect(tf.relu(tf.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(
      tf.conv2d(tf.zeros([0, 4, 4, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 2]) as tf.Tensor4D, 1, 'same').shape,
    ).toEqual([0, 4, 4, 2]);
  });

  it('pass NaN through a training step without crashing', () => {
    const x = tf.tensor4d([NaN, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15], [1, 4, 4, 1]);
    const f = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
    const g = tf.grad((ff) =>
      tf
        .conv2d(x, ff as tf.Tensor4D, 1, 'same')
        .relu()
        .sum(),
    )(f);
    expect(g.dataSync().some(Number.isNaN)).toBe(true);
  });
});

describe('threads and memory', () => {
  it('takes a thread count and reports it, refusing nonsense', () => {
    setOnednnThreads(1);
    expect(onednnInfo().threads).toBe(1);
    setOnednnThreads(2);
    expect(onednnInfo().threads).toBe(2);
    expect(() => setOnednnThreads(0)).toThrow(/threads must be a positive integer; received 0/);
  });

  // Under AddressSanitizer (scripts/test-asan.sh) resident memory measures ASan's allocator and shadow, not the addon.
  it.skipIf(process.env['TFJS_SKIP_ONEDNN_ASAN'] === '1')(
    'trains 2,000 steps with flat tensors and resident memory (native memory is released)',
    async () => {
      const model = tf.sequential({
        layers: [
          tf.layers.conv2d({ inputShape: [8, 8, 4], filters: 8, kernelSize: 3, padding: 'same', useBias: false }),
          tf.layers.batchNormalization(),
          tf.layers.reLU(),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 3 }),
        ],
      });
      const optimizer = tf.train.sgd(1e-2);
      const x = tf.randomNormal([16, 8, 8, 4], 0, 1, 'float32', 1);
      const labels = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0], 'int32'), 3);
      const step = () =>
        optimizer.minimize(
          () => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        );
      // Node 24's V8 grows its own heap for about the first 1,000 steps (arrayBuffers stay flat meanwhile),
      // then resident memory stays flat: measured over the second 1,000.
      for (let i = 0; i < 1000; i++) step();
      const tensors = tf.memory().numTensors;
      await collectGarbage();
      const { rss, arrayBuffers } = process.memoryUsage();
      for (let i = 0; i < 1000; i++) step();
      await collectGarbage();
      const growth = (process.memoryUsage().rss - rss) / 2 ** 20;
      expect(tf.memory().numTensors).toBe(tensors);
      // One leaked activation a step (the conv output alone is 16x8x8x8 floats, 32 KiB) would be 31 MiB here.
      expect((process.memoryUsage().arrayBuffers - arrayBuffers) / 2 ** 20).toBeLessThan(4);
      expect(growth, `RSS grew ${growth.toFixed(1)} MiB over 1,000 steps`).toBeLessThan(24);
      model.dispose();
      optimizer.dispose();
    },
  );
});
