import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { wasmSimdStatus } from 'tfjs-wasm-train';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { beforeAll, describe, expect, it } from 'vitest';
import { browserSuite } from './suite.js';

beforeAll(async () => {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  // The page is cross-origin isolated (for wasm_threads.browser.test.ts), where tfjs-backend-wasm would pick its
  // own multi-threaded build, whose heap tfjs-wasm-train's SIMD kernels cannot reach: the single-threaded build here.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
});

describe('tfjs-skip in Chromium on wasm', () => {
  it('has the training kernels of tfjs-wasm-train', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });
  it('runs 3x3 convolutions and their gradients on the SIMD (Winograd) kernels once instantiated', async () => {
    const x = tf.randomNormal<tf.Rank.R4>([2, 9, 9, 16]);
    const w = tf.randomNormal<tf.Rank.R4>([3, 3, 16, 32]);
    tf.conv2d(x, w, 1, 'same').dispose(); // the first call starts the (asynchronous, in a page) instantiation
    for (let i = 0; i < 100 && wasmSimdStatus() === 'pending'; i++) await new Promise((r) => setTimeout(r, 20));
    expect(wasmSimdStatus()).toBe('ready');
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')
        .square()
        .sum();
    const onWasm = await Promise.all([tf.conv2d(x, w, 1, 'same'), ...tf.grads(f)([x, w])].map((t) => t.data()));
    const xv = await x.data();
    const wv = await w.data();
    await tf.setBackend('cpu');
    const [xc, wc] = [tf.tensor4d(xv, x.shape), tf.tensor4d(wv, w.shape)];
    const onCpu = await Promise.all([tf.conv2d(xc, wc, 1, 'same'), ...tf.grads(f)([xc, wc])].map((t) => t.data()));
    await tf.setBackend('wasm');
    onCpu.forEach((expected, i) => {
      const scale = Math.max(...Array.from(expected, Math.abs));
      const worst = Math.max(...Array.from(expected, (e, j) => Math.abs(e - onWasm[i][j])));
      expect(worst).toBeLessThan(2e-5 * scale);
    });
    tf.dispose([x, w, xc, wc]);
  });
  browserSuite('wasm');
});
