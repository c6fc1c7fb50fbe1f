import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels, wasmTrainingKernelNames } from './index.js';
import { conv2DBackpropFilterConfig } from './kernels/conv2d_backprop_filter.js';
import { conv2DBackpropInputConfig } from './kernels/conv2d_backprop_input.js';
import { maxPoolGradConfig } from './kernels/max_pool_grad.js';
import { useBackend } from './testing/conv_grads.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('registerWasmTrainingKernels', () => {
  it('registers exactly these kernels: a change to the list is a change to this test', () => {
    expect([...wasmTrainingKernelNames].sort()).toEqual([
      'Add',
      'AvgPoolGrad',
      'Cast',
      'Conv2D',
      'Conv2DBackpropFilter',
      'Conv2DBackpropInput',
      'DepthwiseConv2dNativeBackpropFilter',
      'DepthwiseConv2dNativeBackpropInput',
      'FusedBatchNorm',
      'FusedConv2D',
      'Identity',
      'MaxPoolGrad',
      'Mean',
      'Multiply',
      'RealDiv',
      'Relu',
      'Square',
      'Step',
      'Sub',
      'Sum',
      'TfjsWasmTrainAdamUpdate',
      'TfjsWasmTrainBatchNormGrad',
      'TfjsWasmTrainBatchNormTrainGrad',
      'TfjsWasmTrainBroadcastRows',
      'Tile',
    ]);
  });

  it('makes a conv + batch-norm + max-pool training step run on wasm, through its own kernels', async () => {
    await useBackend('wasm');
    const x = tf.randomUniform([2, 8, 8, 4], -1, 1, 'float32', 1);
    const w = tf.randomUniform([3, 3, 4, 8], -0.5, 0.5, 'float32', 2);
    const gamma = tf.ones([8]);
    const loss = (w: tf.Tensor, gamma: tf.Tensor) => {
      const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      const normed = tf.batchNorm(y, mean, variance, tf.zerosLike(gamma), gamma, 1e-3);
      return tf.maxPool(tf.relu(normed) as tf.Tensor4D, 2, 2, 'valid').mean();
    };
    const profile = await tf.profile(() => tf.dispose(tf.grads(loss)([w, gamma])));
    const ran = new Set(profile.kernels.map((k) => k.name));
    // The stock wasm backend has no kernel for these two: without the registration the step throws.
    expect(ran).toContain('Conv2DBackpropFilter');
    expect(ran).toContain('MaxPoolGrad');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')?.kernelFunc).toBe(conv2DBackpropFilterConfig.kernelFunc);
    expect(tf.getKernel('MaxPoolGrad', 'wasm')?.kernelFunc).toBe(maxPoolGradConfig.kernelFunc);
    for (const name of ran) expect(tf.getKernel(name, 'wasm'), `kernel ${name}`).toBeDefined();
    tf.dispose([x, w, gamma]);
  });

  it('replaces the backend own Conv2DBackpropInput, keeping its setup', () => {
    const kernel = tf.getKernel('Conv2DBackpropInput', 'wasm');
    expect(kernel?.kernelFunc).toBe(conv2DBackpropInputConfig.kernelFunc);
    expect(conv2DBackpropInputConfig.setupFunc).toBeUndefined();
    expect(kernel?.setupFunc).toBeTypeOf('function'); // the backend's binding to its wasm function
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
