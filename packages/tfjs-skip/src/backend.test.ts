import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { setupBackend } from './index.js';

afterEach(async () => {
  await tf.setBackend('cpu');
});

describe('setupBackend', () => {
  it('picks the first preferred backend that works and makes it current', async () => {
    const choice = await setupBackend({ prefer: ['webgl', 'cpu'] });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped).toEqual([{ name: 'webgl', reason: 'WebGL is not available in Node.js' }]);
    expect(choice.reason).toBe('using the cpu backend (webgl: WebGL is not available in Node.js)');
  });

  it('defaults to tfjs-node when installed, else wasm with the training kernels', async () => {
    const choice = await setupBackend();
    let hasNode = true;
    const tfjsNode = '@tensorflow/tfjs-node';
    try {
      await import(/* @vite-ignore */ tfjsNode);
    } catch {
      hasNode = false;
    }
    expect(choice.name).toBe(hasNode ? 'tensorflow' : 'wasm');
    if (!hasNode) expect(choice.skipped[0]).toEqual({ name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' });
    expect(tf.getKernel('Conv2DBackpropFilter', tf.getBackend())).toBeDefined();
  });

  it('refuses unknown names, quoting them', async () => {
    await expect(setupBackend({ prefer: ['gpu' as never] })).rejects.toThrow(/unknown backend "gpu"/);
  });
});
