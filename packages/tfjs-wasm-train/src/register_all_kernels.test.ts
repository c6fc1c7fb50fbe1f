import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, wasmTrainingKernelNames } from './index.js';
import { conv2DBackpropFilterConfig } from './kernels/Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './kernels/Conv2DBackpropInput.js';

describe('registerWasmTrainingKernels', () => {
  it('registers every listed kernel for wasm on import, replacing the backend own Conv2DBackpropInput', () => {
    expect([...wasmTrainingKernelNames].sort()).toEqual(
      expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput']),
    );
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
    for (const name of wasmTrainingKernelNames) expect(tf.getKernel(name, 'wasm'), name).toBeDefined();
  });

  it('is idempotent: calling it again changes nothing and warns nothing', () => {
    const before = wasmTrainingKernelNames.map((name) => tf.getKernel(name, 'wasm'));
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      registerWasmTrainingKernels();
      registerWasmTrainingKernels();
    } finally {
      console.warn = warn;
    }
    expect(wasmTrainingKernelNames.map((name) => tf.getKernel(name, 'wasm'))).toEqual(before);
    expect(warnings).toEqual([]);
  });

  it('leaves other backends alone', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'cpu')?.kernelFunc).not.toBe(conv2DBackpropFilterConfig.kernelFunc);
  });
});
