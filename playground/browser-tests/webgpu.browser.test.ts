import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ZOO_KERNEL_CASES, kernelsMissingOn, kernelsUsed } from './kernels.js';
import { browserSuite } from './suite.js';

// Headless Chromium exposes WebGPU with --enable-unsafe-webgpu (see
// e2e/harness.ts): without a GPU the adapter is Dawn's Vulkan backend on
// SwiftShader, in software. No adapter is a failure that says so, not a skip.
const adapter = 'gpu' in navigator ? await navigator.gpu.requestAdapter() : null;

describe('tfjs-skip in Chromium on webgpu', () => {
  it('has a WebGPU adapter', () => {
    expect(
      'gpu' in navigator,
      'navigator.gpu is missing: Chromium without WebGPU (needs Chromium >= 113, a secure context and ' +
        '--enable-unsafe-webgpu on Linux)',
    ).toBe(true);
    expect(
      adapter,
      'navigator.gpu.requestAdapter() returned null: no WebGPU adapter (is --enable-unsafe-webgpu in the launch ' +
        'flags?)',
    ).not.toBeNull();
    // `GPUAdapter.info` (Chromium 127+) is newer than the installed @webgpu/types.
    const info = (adapter as unknown as { info?: { vendor: string; architecture: string } }).info;
    console.info(`WebGPU adapter: ${info?.vendor ?? '?'} ${info?.architecture ?? '?'}`);
  });

  describe.runIf(adapter != null)('with the adapter', () => {
    beforeAll(async () => {
      // Brought up here, not while the file is collected, so a failure is reported by this suite.
      if (!(await tf.setBackend('webgpu')))
        throw new Error('tf.setBackend("webgpu") failed although a WebGPU adapter exists');
    });

    it('registers every kernel the zoo models use to train', async () => {
      for (const [name, make] of ZOO_KERNEL_CASES) {
        const used = await kernelsUsed(make);
        expect(used.length, `${name} ran no kernels`).toBeGreaterThan(10);
        expect(kernelsMissingOn('webgpu', used), `kernels ${name} needs that webgpu lacks`).toEqual([]);
      }
      expect(tf.getBackend()).toBe('webgpu');
    });

    browserSuite('webgpu');
  });
});
