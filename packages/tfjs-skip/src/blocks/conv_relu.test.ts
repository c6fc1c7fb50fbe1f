import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { runPathFused } from './conv_batch_norm.js';
import { arrays, relativeError } from './compare.test_support.js';
import { ConvReluRun, convRelu } from './conv_relu.js';
import { toyResNet } from '../zoo/models/toy_resnet.js';

const cases = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 8], strides: 1, pad: 'same', bias: true },
  { x: [3, 9, 9, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'valid', bias: true },
  { x: [2, 8, 8, 5], filter: [1, 1, 5, 4], strides: 2, pad: 'same', bias: false },
] as const;

describe('convRelu: relu(conv2d(x, filter) + bias) in one kernel forward', () => {
  for (const c of cases) {
    it(`equals conv2d → add → relu, values and gradients: ${JSON.stringify(c)}`, () => {
      const x = tf.randomNormal([...c.x], 0, 1, 'float32', 1);
      const filter = tf.randomNormal([...c.filter], 0, 0.5, 'float32', 2);
      const bias = tf.randomNormal([c.filter[3]], 0, 0.5, 'float32', 3);
      const inputs = c.bias ? [x, filter, bias] : [x, filter];
      const weights = tf.randomNormal(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad).shape);
      const window = { strides: c.strides, pad: c.pad };
      const fused = (...t: tf.Tensor[]) =>
        convRelu(t[0] as tf.Tensor4D, t[1] as tf.Tensor4D, t[2] as tf.Tensor1D | undefined, window);
      const composed = (...t: tf.Tensor[]): tf.Tensor4D => {
        const z = tf.conv2d(t[0] as tf.Tensor4D, t[1] as tf.Tensor4D, c.strides, c.pad);
        return tf.relu(t[2] === undefined ? z : tf.add<tf.Tensor4D>(z, t[2]));
      };
      const loss =
        (f: typeof fused) =>
        (...t: tf.Tensor[]) =>
          tf.sum(tf.mul(f(...t), weights));
      const [y, yRef] = arrays([fused(...inputs), composed(...inputs)]);
      expect(y!.some((v) => v === 0) && y!.some((v) => v > 0), 'the ReLU cuts some outputs and keeps others').toBe(
        true,
      );
      expect(relativeError(y!, yRef!)).toBeLessThan(1e-5);
      const grads = arrays(tf.grads(loss(fused))(inputs));
      const gradsRef = arrays(tf.grads(loss(composed))(inputs));
      expect(grads).toHaveLength(inputs.length);
      grads.forEach((g, i) => expect(relativeError(g, gradsRef[i]!), `gradient ${i}`).toBeLessThan(1e-5));
      tf.dispose([x, filter, bias, weights]);
    });
  }

  it("computes no gradient to an input the gradient does not flow to (a first convolution's images)", async () => {
    const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const filter = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2));
    const bias = tf.variable(tf.randomNormal([4], 0, 1, 'float32', 3));
    const args = { strides: 1, pad: 'same' } as const;
    const kernels = async (wrt: tf.Variable[]) => {
      const info = await tf.profile(() =>
        tf.variableGrads(
          () => tf.sum(convRelu(x, filter as tf.Variable<tf.Rank.R4>, bias as tf.Variable<tf.Rank.R1>, args)),
          wrt,
        ),
      );
      tf.dispose(info.result as tf.TensorContainer);
      return info.kernelNames;
    };
    const both = await kernels([filter, bias]);
    expect(both).toContain('Conv2DBackpropFilter');
    expect(both).not.toContain('Conv2DBackpropInput');
    expect(await kernels([bias])).not.toContain('Conv2DBackpropFilter');
    tf.dispose([x, filter, bias]);
  });

  it('passes NaN through to the output and the gradient, as tf.relu does', () => {
    const x = tf.tensor4d([NaN, ...Array.from({ length: 31 }, (_, i) => i / 7)], [2, 4, 4, 1]);
    const filter = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
    const args = { strides: 1, pad: 'same' } as const;
    const y = convRelu(x, filter, undefined, args);
    expect(y.dataSync().some(Number.isNaN)).toBe(true);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(convRelu(xx as tf.Tensor4D, filter, undefined, args)))(x);
    expect(dx.dataSync().some(Number.isNaN)).toBe(true);
    tf.dispose([x, filter, y, dx]);
  });
});

describe('ConvReluRun: which layers it takes', () => {
  const built = (layer: tf.layers.Layer) => {
    layer.apply(tf.zeros([1, 6, 6, 2]));
    return layer;
  };

  it('a Conv2D with a ReLU activation, with or without bias', () => {
    const biased = built(tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' }));
    const unbiased = built(tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', useBias: false }));
    expect(ConvReluRun.at([biased], 0)?.length).toBe(1);
    expect(ConvReluRun.at([unbiased], 0)?.length).toBe(1);
  });

  it('not another activation, a dilated or unbuilt conv, another layer', () => {
    const linear = built(tf.layers.conv2d({ filters: 3, kernelSize: 3 }));
    const elu = built(tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'elu' }));
    const dilated = built(tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu', dilationRate: 2 }));
    const unbuilt = tf.layers.conv2d({ filters: 3, kernelSize: 3, activation: 'relu' });
    const dense = tf.layers.dense({ units: 2, activation: 'relu' });
    for (const layer of [linear, elu, dilated, unbuilt, dense])
      expect(ConvReluRun.at([layer], 0), layer.name).toBeNull();
  });

  it("the toy ResNet's layers run fused train as the model does: logits and every weight's gradient", () => {
    const model = toyResNet({ inputShape: [12, 12, 3] });
    const x = tf.randomNormal([4, 12, 12, 3], 0, 1, 'float32', 5);
    const weights = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
    const run = (forward: () => tf.Tensor) => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forward())), weights);
      return arrays([value, ...weights.map((w) => grads[w.name]!)]);
    };
    // Without the Dropout, which draws at random in training.
    const layers = model.layers.filter((layer) => layer.getClassName() !== 'Dropout');
    const fused = run(() => runPathFused(layers, x));
    const layered = run(() => layers.reduce((h, layer) => layer.apply(h, { training: true }) as tf.Tensor, x));
    expect(layers.filter((_, i) => ConvReluRun.at(layers, i) !== null)).toHaveLength(3);
    fused.forEach((values, i) => expect(relativeError(values, layered[i]!), `output ${i}`).toBeLessThan(1e-5));
    tf.dispose([x, ...model.weights.map((w) => w.read())]);
  });
});
