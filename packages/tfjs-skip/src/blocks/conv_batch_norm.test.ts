import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { basicBlock } from './basic_block.js';
import { arrays, relativeError } from './compare.test_support.js';
import { batchNormalization } from './batch_norm.js';
import {
  addsInLastRun,
  ConvBatchNormRun,
  convBatchNorm,
  convBatchNormIsFused,
  runPathFused,
} from './conv_batch_norm.js';
import { conv, relu } from './conv_bn.js';
import { SkipConnection } from '../skip_connection.js';

const cases: {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number;
  pad: 'same' | 'valid';
  activation: 'relu' | 'linear';
  residual: boolean;
}[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 8], strides: 1, pad: 'same', activation: 'relu', residual: false },
  { x: [3, 8, 8, 4], filter: [3, 3, 4, 6], strides: 2, pad: 'same', activation: 'relu', residual: true },
  { x: [2, 9, 9, 5], filter: [3, 3, 5, 4], strides: 2, pad: 'valid', activation: 'linear', residual: true },
  { x: [4, 6, 6, 4], filter: [1, 1, 4, 8], strides: 1, pad: 'valid', activation: 'linear', residual: false },
];

describe('convBatchNorm without fused kernels (cpu): the ops the layers run', () => {
  it('cpu registers no fused kernels', () => {
    expect(convBatchNormIsFused()).toBe(false);
  });

  for (const c of cases) {
    it(`equals conv2d → batch norm → add → activation, values and gradients: ${JSON.stringify(c)}`, () => {
      const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
      const filter = tf.randomNormal(c.filter, 0, 0.5, 'float32', 2) as tf.Tensor4D;
      const gamma = tf.randomNormal([c.filter[3]], 1, 0.3, 'float32', 3) as tf.Tensor1D;
      const beta = tf.randomNormal([c.filter[3]], 0, 0.3, 'float32', 4) as tf.Tensor1D;
      const outShape = tf.conv2d(x, filter, c.strides, c.pad).shape;
      const residual = tf.randomNormal(outShape, 0, 1, 'float32', 5) as tf.Tensor4D;
      const weights = tf.randomNormal(outShape, 0, 1, 'float32', 6);
      const inputs = c.residual ? [x, filter, gamma, beta, residual] : [x, filter, gamma, beta];
      const window = { strides: c.strides, pad: c.pad, epsilon: 1e-3, activation: c.activation };
      const fused = (...t: tf.Tensor[]) =>
        convBatchNorm(t[0] as tf.Tensor4D, t[1] as tf.Tensor4D, t[2] as tf.Tensor1D, t[3] as tf.Tensor1D, {
          ...window,
          residual: t[4] as tf.Tensor4D | undefined,
        });
      const composed = (...t: tf.Tensor[]) => {
        const z = tf.conv2d(t[0] as tf.Tensor4D, t[1] as tf.Tensor4D, c.strides, c.pad);
        const { mean, variance } = tf.moments(z, [0, 1, 2]);
        const normalized = tf.batchNorm(z, mean, variance, t[3] as tf.Tensor1D, t[2] as tf.Tensor1D, 1e-3);
        const sum = t[4] === undefined ? normalized : tf.add(normalized, t[4]);
        return { y: c.activation === 'relu' ? tf.relu(sum) : sum, mean, variance };
      };
      const loss =
        (f: typeof fused | typeof composed) =>
        (...t: tf.Tensor[]) =>
          tf.sum(tf.mul(f(...t).y, weights));
      const ours = fused(...inputs);
      const theirs = composed(...inputs);
      const [y, mean, variance] = arrays([ours.y, ours.mean, ours.variance]);
      const [yRef, meanRef, varianceRef] = arrays([theirs.y, theirs.mean, theirs.variance]);
      expect(relativeError(y!, yRef!), 'y').toBeLessThan(1e-5);
      expect(relativeError(mean!, meanRef!), 'mean').toBeLessThan(1e-5);
      expect(relativeError(variance!, varianceRef!), 'variance').toBeLessThan(1e-5);
      const grads = arrays(tf.grads(loss(fused))(inputs));
      const gradsRef = arrays(tf.grads(loss(composed))(inputs));
      expect(grads).toHaveLength(inputs.length);
      grads.forEach((g, i) => expect(relativeError(g, gradsRef[i]!), `gradient ${i}`).toBeLessThan(1e-4));
      tf.dispose([x, filter, gamma, beta, residual, weights]);
    });
  }

  it('passes NaN through to y and every gradient, as the layers do', () => {
    const x = tf.tensor4d([NaN, ...Array.from({ length: 31 }, (_, i) => i / 7)], [2, 4, 4, 1]);
    const filter = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
    const [gamma, beta] = [tf.ones([2]) as tf.Tensor1D, tf.zeros([2]) as tf.Tensor1D];
    const args = { strides: 1, pad: 'same', epsilon: 1e-3, activation: 'relu' } as const;
    const y = convBatchNorm(x, filter, gamma, beta, args).y;
    expect(y.dataSync().some(Number.isNaN)).toBe(true);
    const dx = tf.grad((xx: tf.Tensor) => tf.sum(convBatchNorm(xx as tf.Tensor4D, filter, gamma, beta, args).y))(x);
    expect(dx.dataSync().some(Number.isNaN)).toBe(true);
    tf.dispose([x, filter, gamma, beta, y, dx]);
  });
});

describe('ConvBatchNormRun: which layers a path fuses', () => {
  const path = (...layers: tf.layers.Layer[]) => {
    const block = new SkipConnection({ mainPath: layers });
    block.build([null, 8, 8, 4]);
    return block.mainPath;
  };

  it('conv → BatchNormalization → ReLU, and conv → BatchNormalization at the end of a path', () => {
    const layers = path(conv(4, 3), batchNormalization(), relu(), conv(4, 3, 1), batchNormalization());
    expect(ConvBatchNormRun.at(layers, 0)?.length).toBe(3);
    expect(ConvBatchNormRun.at(layers, 3)?.relu).toBe(false);
    expect(addsInLastRun(layers)).toBe(true);
  });

  it('not a conv with bias or an activation, a BatchNormalization without beta, a capped ReLU', () => {
    const biased = tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same' });
    const activated = tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      padding: 'same',
      useBias: false,
      activation: 'relu',
    });
    expect(ConvBatchNormRun.at(path(biased, batchNormalization()), 0)).toBeNull();
    expect(ConvBatchNormRun.at(path(activated, batchNormalization()), 0)).toBeNull();
    expect(ConvBatchNormRun.at(path(conv(4, 3), batchNormalization({ center: false })), 0)).toBeNull();
    expect(ConvBatchNormRun.at(path(conv(4, 3), tf.layers.batchNormalization()), 0)).toBeNull();
    const capped = path(conv(4, 3), batchNormalization(), tf.layers.reLU({ maxValue: 6 }));
    expect(ConvBatchNormRun.at(capped, 0)?.relu).toBe(false);
    expect(addsInLastRun(capped)).toBe(false);
  });

  it("a basic block's fused run trains as its layers do: output, gradients and moving statistics", () => {
    const model = (seed: number) => {
      const m = tf.sequential({
        layers: [
          tf.layers.inputLayer({ inputShape: [8, 8, 4] }),
          ...basicBlock({ filters: 8, strides: 2, shortcut: 'projection' }),
        ],
      });
      m.setWeights(
        m.weights.map((w, i) =>
          w.name.includes('variance')
            ? tf.ones(w.shape as number[])
            : tf.randomNormal(w.shape as number[], 0, 0.5, 'float32', seed + i),
        ),
      );
      return m;
    };
    const x = tf.randomNormal([3, 8, 8, 4], 0, 1, 'float32', 7);
    const run = (fused: boolean) => {
      const m = model(20);
      const block = m.layers.find((layer) => layer instanceof SkipConnection) as SkipConnection;
      const shortcut = block.skipPath[0] as tf.layers.Layer;
      const forward = () =>
        fused
          ? runPathFused(block.mainPath, x, shortcut.apply(x, { training: true }) as tf.Tensor)
          : (block.apply(x, { training: true }) as tf.Tensor);
      const weights = m.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forward())), weights);
      const out = arrays([value, ...weights.map((w) => grads[w.name]!)]);
      return { out, moving: arrays(m.weights.filter((w) => w.name.includes('moving')).map((w) => w.read().clone())) };
    };
    const fused = run(true);
    const layered = run(false);
    fused.out.forEach((values, i) => expect(relativeError(values, layered.out[i]!), `output ${i}`).toBeLessThan(1e-5));
    expect(fused.moving.length).toBeGreaterThan(0);
    fused.moving.forEach((values, i) =>
      expect(relativeError(values, layered.moving[i]!), `moving ${i}`).toBeLessThan(1e-6),
    );
    tf.dispose(x);
  });
});
