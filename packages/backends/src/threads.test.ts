import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { describeBackend, setupBackend } from './index.js';

// The wasm backend takes its thread count when it starts, once per process:
// this file starts it with 3 (setup.test.ts starts it with the default).
describe('setupBackend with threads', () => {
  it('refuses a thread count that is not a positive integer, quoting it', async () => {
    await expect(setupBackend({ prefer: ['wasm'], threads: 0 })).rejects.toThrow(
      /threads must be a positive integer; received 0/,
    );
    expect(tf.engine().registry['wasm']).toBeUndefined(); // nothing started
  });

  it('starts the wasm backend with its training kernels on the threads asked for, and says so', async () => {
    const choice = await setupBackend({ prefer: ['wasm'], threads: 3 });
    expect(choice).toMatchObject({ name: 'wasm', threads: 3, threadsNote: null });
    expect(describeBackend('wasm', '', choice)).toBe('wasm (SIMD, 3 threads), training kernels from tfjs-wasm-train');
    // A step of a conv net trains on it (setupBackend's probe passed; this one checks the values).
    const y = tf.tidy(() => {
      const x = tf.ones([4, 8, 8, 16]);
      const w = tf.ones([3, 3, 16, 16]);
      return tf.grad((f: tf.Tensor) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'valid').sum())(w);
    });
    expect(Array.from(new Set(await y.data()))).toEqual([4 * 6 * 6]);
    y.dispose();
  });
});
