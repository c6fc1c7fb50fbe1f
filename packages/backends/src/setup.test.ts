import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { describeBackend, probeTrainingStep, setupBackend, type ModuleLoader } from './index.js';

afterEach(async () => {
  await tf.setBackend('cpu');
});

/** The real `import()`, except for the packages listed, which fail as if not installed. */
const without =
  (...missing: string[]): ModuleLoader =>
  (specifier) =>
    missing.includes(specifier)
      ? Promise.reject(new Error(`Cannot find package '${specifier}'`))
      : import(/* @vite-ignore */ specifier);

/** A loader that pretends every package imports, without importing any. */
const pretendInstalled: ModuleLoader = () => Promise.resolve({});

describe('setupBackend', () => {
  it('picks the first preferred backend that works and makes it current', async () => {
    const choice = await setupBackend({ prefer: ['webgl', 'cpu'] });
    expect(choice.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect(choice.skipped).toEqual([{ name: 'webgl', reason: 'WebGL is not available in Node.js' }]);
    expect(choice.reason).toBe('using the cpu backend (webgl: WebGL is not available in Node.js)');
  });

  it('without tfjs-node, takes onednn on every core when its addon loads, and says what it runs on', async () => {
    const choice = await setupBackend({ load: without('@tensorflow/tfjs-node') });
    expect(choice.name).toBe('onednn');
    expect(choice).toMatchObject({ threads: availableParallelism(), threadsNote: null });
    expect(choice.skipped).toEqual([{ name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' }]);
    expect(describeBackend('onednn', '', choice)).toMatch(
      new RegExp(
        `^onednn \\(oneDNN 2\\.\\d+\\.\\d+, \\w+, ${availableParallelism()} threads\\), from tfjs-skip-onednn$`,
      ),
    );
    expect(tf.getKernel('Conv2DBackpropFilter', 'onednn')).toBeDefined();
  });

  it('without tfjs-node and tfjs-skip-onednn, says so and uses wasm with its kernels, on every core', async () => {
    const choice = await setupBackend({ load: without('@tensorflow/tfjs-node', 'tfjs-skip-onednn') });
    expect(choice.name).toBe('wasm');
    expect(choice).toMatchObject({ threads: availableParallelism(), threadsNote: null });
    expect(choice.skipped).toEqual([
      { name: 'tensorflow', reason: '@tensorflow/tfjs-node is not installed' },
      { name: 'onednn', reason: 'tfjs-skip-onednn is not installed' },
    ]);
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('with tfjs-node importable but no backend registered by it, falls back and says why', async () => {
    const choice = await setupBackend({ prefer: ['tensorflow', 'cpu'], load: pretendInstalled });
    expect(choice.name).toBe('cpu');
    expect(choice.skipped).toHaveLength(1);
    expect(choice.skipped[0].reason).toMatch(/^the tensorflow backend failed to initialise/);
  });

  it('does not take wasm for training without tfjs-wasm-train, and does for inference', async () => {
    const training = await setupBackend({ prefer: ['wasm', 'cpu'], load: without('tfjs-wasm-train') });
    expect(training.name).toBe('cpu');
    expect(training.skipped).toEqual([
      { name: 'wasm', reason: 'tfjs-wasm-train (its training kernels) is not installed' },
    ]);
    const inference = await setupBackend({
      prefer: ['wasm', 'cpu'],
      forTraining: false,
      load: without('tfjs-wasm-train'),
    });
    expect(inference.name).toBe('wasm');
  });

  it('refuses unknown names, quoting them', async () => {
    await expect(setupBackend({ prefer: ['gpu' as never] })).rejects.toThrow(
      /unknown backend "gpu"; known: tensorflow, onednn, webgpu, webgl, wasm, cpu/,
    );
  });

  it('says what every candidate lacked when none works', async () => {
    await expect(
      setupBackend({ prefer: ['webgl', 'tensorflow'], load: without('@tensorflow/tfjs-node') }),
    ).rejects.toThrow(
      'setupBackend: no usable backend among webgl, tensorflow: webgl: WebGL is not available in Node.js; ' +
        'tensorflow: @tensorflow/tfjs-node is not installed',
    );
  });
});

describe('probeTrainingStep', () => {
  it('passes on the cpu backend, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    expect(probeTrainingStep()).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports the error of a backend that cannot take a training step', async () => {
    await setupBackend({ prefer: ['wasm'], forTraining: false, load: without('tfjs-wasm-train') });
    const kernel = tf.getKernel('Conv2DBackpropFilter', 'wasm');
    if (kernel != null) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
    try {
      expect(probeTrainingStep()).toMatch(/Conv2DBackpropFilter/);
    } finally {
      if (kernel != null) tf.registerKernel(kernel);
    }
  });
});

describe('describeBackend', () => {
  it('names the backend and what it runs on', () => {
    expect(describeBackend('cpu')).toBe('cpu (pure JavaScript)');
    expect(describeBackend('webgpu', 'google swiftshader')).toBe('webgpu (adapter: google swiftshader)');
  });
});
