import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import './index.js';
import { useBackend } from './testing/conv_grads.js';

/**
 * Growing the wasm heap detaches every typed-array view of it. A kernel that
 * takes a view, then allocates, then reads the view reads zeros and
 * undefined: training then diverged at once (ResNet-8 on 28x28x1 at batch 64
 * lost its batch-norm scales). Here the kernel's own output allocation must
 * grow the heap: the inputs alone are twice the heap this file starts with.
 */
describe('kernels whose allocations grow the heap', () => {
  it('the fused batch-norm gradient reads its scale after allocating dx', async () => {
    await useBackend('wasm');
    const heap = () => (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.byteLength;
    const channels = 8;
    const n = Math.ceil((2 * heap()) / 4 / (16 * channels));
    const size = n * 16 * channels;
    const x = tf.tensor4d(
      Float32Array.from({ length: size }, (_, i) => Math.sin(i)),
      [n, 4, 4, channels],
    );
    const dy = tf.tensor4d(
      Float32Array.from({ length: size }, (_, i) => Math.cos(i * 0.7)),
      [n, 4, 4, channels],
    );
    const mean = tf.tensor1d([0.1, -0.2, 0.3, 0, 0.05, -0.1, 0.2, 0]);
    const variance = tf.tensor1d([1, 2, 0.5, 1.5, 1, 3, 0.25, 1]);
    const scale = tf.tensor1d([2, -1, 0.5, 1, 3, 1.5, -2, 0.75]);
    const before = heap();
    const outputs = tf
      .engine()
      .runKernel<tf.Tensor[]>(
        'TfjsWasmTrainBatchNormGrad',
        { dy, x, mean, variance, scale },
        { varianceEpsilon: 1e-3 },
      );
    const [dx, dMean, , dScale, dOffset] = outputs;
    expect(heap()).toBeGreaterThan(before); // the kernel grew the heap

    const [xs, dys, m, v, s] = [x.dataSync(), dy.dataSync(), mean.dataSync(), variance.dataSync(), scale.dataSync()];
    const sumDy = new Float64Array(channels);
    const sumDyXmu = new Float64Array(channels);
    for (let i = 0; i < size; i++) {
      sumDy[i % channels] += dys[i];
      sumDyXmu[i % channels] += dys[i] * (xs[i] - m[i % channels]);
    }
    const r = Array.from(v, (value) => 1 / Math.sqrt(value + 1e-3));
    const close = (actual: ArrayLike<number>, expected: number[], what: string) =>
      expected.forEach((e, c) =>
        expect(Math.abs(actual[c] - e), `${what}[${c}]`).toBeLessThan(1e-4 * Math.max(1, Math.abs(e))),
      );
    close(
      dMean.dataSync(),
      r.map((rc, c) => -rc * s[c] * sumDy[c]),
      'dmean',
    );
    close(
      dScale.dataSync(),
      r.map((rc, c) => rc * sumDyXmu[c]),
      'dscale',
    );
    close(dOffset.dataSync(), Array.from(sumDy), 'doffset');
    const dxs = dx.dataSync();
    for (const i of [0, 1, size - 1]) expect(dxs[i]).toBeCloseTo(dys[i] * r[i % channels] * s[i % channels], 5);
    tf.dispose([x, dy, mean, variance, scale, ...outputs]);
  });
});
