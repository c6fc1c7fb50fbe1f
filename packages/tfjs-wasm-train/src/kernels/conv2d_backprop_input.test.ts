import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { expectCloseRelative } from '../testing/conv_grads.js';
import { describeCase, gridCases, runGradKernel } from '../testing/kernel_cases.js';

describe('Conv2DBackpropInput on wasm', () => {
  it.each(gridCases().map((c, i) => [describeCase(c), c, i] as const))('matches cpu: %s', async (_, c, i) => {
    const expected = await runGradKernel('cpu', 'Conv2DBackpropInput', c, i);
    const actual = await runGradKernel('wasm', 'Conv2DBackpropInput', c, i);
    expectCloseRelative(actual, expected, 1e-5, describeCase(c));
  });

  it('frees every intermediate buffer on the wasm heap', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([3, 3, 3, 4]);
    const dy = tf.ones([2, 5, 5, 4]);
    const dataIds = tf.engine().backend.numDataIds();
    const tensors = tf.memory().numTensors;
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: [2, 9, 9, 3] };
    const dw = tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: x }, attrs);
    expect(tf.memory().numTensors).toBe(tensors + 1);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds + 1);
    tf.dispose([x, dy, dw]);
  });

  it('refuses NCHW and dilations, quoting what it received', async () => {
    await tf.setBackend('wasm');
    const x = tf.ones([3, 3, 2, 2]);
    const dy = tf.ones([1, 5, 5, 2]);
    const run = (extra: object) => () =>
      tf.engine().runKernel(
        'Conv2DBackpropInput',
        { dy, filter: x },
        {
          strides: 1,
          pad: 'same',
          dataFormat: 'NHWC',
          inputShape: [1, 5, 5, 2],
          ...extra,
        },
      );
    expect(run({ dataFormat: 'NCHW' })).toThrow(/dataFormat 'NHWC' only; received 'NCHW'/);
    expect(run({ dilations: [2, 2] })).toThrow(/dilations 1 only; received \[2,2\]/);
    tf.dispose([x, dy]);
  });
});

describe('Conv2DBackpropInput on wasm, shape checks', () => {
  it('quotes a dy that does not fit the input shape, filter, strides and pad', async () => {
    await tf.setBackend('wasm');
    const filter = tf.ones([3, 3, 3, 4]);
    const dy = tf.ones([2, 5, 5, 4]);
    const attrs = { strides: 1, pad: 'valid', dataFormat: 'NHWC', inputShape: [2, 8, 8, 3] };
    expect(() =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter }, attrs as unknown as tf.NamedAttrMap),
    ).toThrow(
      new RegExp(
        String.raw`dy has shape \[2,5,5,4\] but input \[2,8,8,3\] with filter \[3,3,3,4\], ` +
          String.raw`strides 1 and pad "valid" gives \[2,6,6,4\]`,
      ),
    );
    tf.dispose([filter, dy]);
  });
});
