import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchCount, batches } from './batches.js';
import { syntheticDataset } from './synthetic.js';
import { toBatch } from './to_batch.js';

const data = syntheticDataset({ count: 23, height: 3, width: 2, channels: 2, classes: 5 });
const size = 3 * 2 * 2;

/** Which example a batch row is: its first pixel is (i * 31) % 256 and label i % 5 pin i down for i < 23. */
function exampleOf(pixels: Float32Array, labels: Int32Array, row: number): number {
  const first = Math.round(pixels[row * size] * 255);
  const i = Array.from({ length: 23 }, (_, k) => k).find((k) => (k * 31) % 256 === first && k % 5 === labels[row]);
  if (i === undefined) throw new Error(`row ${row} matches no example`);
  return i;
}

function epoch(options: { shuffle?: boolean; seed?: number }, batchSize = 5): number[] {
  const seen: number[] = [];
  for (const { xs, ys } of batches(data, batchSize, options)) {
    const pixels = xs.dataSync() as Float32Array;
    const labels = ys.dataSync() as Int32Array;
    for (let row = 0; row < ys.shape[0]; row++) seen.push(exampleOf(pixels, labels, row));
    tf.dispose([xs, ys]);
  }
  return seen;
}

describe('batches', () => {
  it('yields float32 NHWC images in [0, 1] and int32 labels, the last batch smaller', () => {
    const shapes: number[][] = [];
    for (const { xs, ys } of batches(data, 5)) {
      expect(xs.dtype).toBe('float32');
      expect(ys.dtype).toBe('int32');
      expect(xs.shape.slice(1)).toEqual([3, 2, 2]);
      expect(ys.shape).toEqual([xs.shape[0]]);
      const pixels = [...xs.dataSync()];
      expect(Math.min(...pixels)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
      shapes.push(xs.shape);
      tf.dispose([xs, ys]);
    }
    expect(shapes.map((s) => s[0])).toEqual([5, 5, 5, 5, 3]);
    expect(batchCount(data, 5)).toBe(5);
  });

  it('scales each pixel by 1/255 and keeps its label', () => {
    const { xs, ys } = toBatch(data, [7, 2]);
    const expected = [...data.images.subarray(7 * size, 8 * size), ...data.images.subarray(2 * size, 3 * size)].map(
      (v) => Math.fround(v / 255),
    );
    expect([...xs.dataSync()]).toEqual(expected);
    expect([...ys.dataSync()]).toEqual([2, 2]);
    expect(Math.max(...expected)).toBeGreaterThan(0.9);
    tf.dispose([xs, ys]);
  });

  it('visits examples in file order without shuffling', () => {
    expect(epoch({})).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('visits every example exactly once per epoch when shuffled', () => {
    for (const seed of [0, 1, 2]) {
      const seen = epoch({ shuffle: true, seed }, 4);
      expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
    }
  });

  it('shuffles the same way for a seed and differently for another', () => {
    expect(epoch({ shuffle: true, seed: 11 })).toEqual(epoch({ shuffle: true, seed: 11 }));
    expect(epoch({ shuffle: true, seed: 11 })).not.toEqual(epoch({ shuffle: true, seed: 12 }));
    expect(epoch({ shuffle: true, seed: 11 })).not.toEqual(epoch({}));
  });

  it('leaks no tensors, over a full epoch or stopping early', () => {
    const before = tf.memory().numTensors;
    epoch({ shuffle: true, seed: 5 });
    for (const { xs, ys } of batches(data, 4)) {
      tf.dispose([xs, ys]);
      break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a bad batch size, quoting it', () => {
    expect(() => batches(data, 0).next()).toThrow('batch size must be a whole number >= 1, but received 0');
    expect(() => batchCount(data, 1.5)).toThrow('batch size must be a whole number >= 1, but received 1.5');
  });

  it('rejects an index outside the data set', () => {
    expect(() => toBatch(data, [23])).toThrow('toBatch: index 23 at position 0 is outside 0..22');
  });
});
