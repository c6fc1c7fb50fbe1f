import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { onednnProblem } from './index.js';
import { geometry } from './kernels/geometry.js';
import { RELU_GRAD } from './kernels/relu_grad.js';
import { addon } from './native.js';
import { RELU_BIAS_GRAD } from 'tfjs-skip/kernel-names';
import { expectClose, expectCloseToScale, onBoth, seeded } from './testing.js';

beforeAll(() => {
  // The native suites run wherever the addon builds; CI installs oneDNN, so there it must.
  expect(onednnProblem()).toBeNull();
});

type Pad = 'same' | 'valid' | number;
const convCases: Array<{
  x: number[];
  filter: number[];
  strides: number;
  pad: Pad;
  dilations?: number;
  /** oneDNN runs Winograd here: its sums are checked against the output's scale. */
  winograd?: true;
}> = [
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 8], strides: 1, pad: 'same' },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 8], strides: 2, pad: 'same' },
  { x: [1, 10, 7, 4], filter: [5, 5, 4, 6], strides: 2, pad: 'valid' },
  { x: [3, 8, 8, 16], filter: [1, 1, 16, 32], strides: 2, pad: 'valid' },
  // oneDNN 2.6.3's jit_1x1 backward-weights kernel crashed the process on this one (conv.cc takes another).
  { x: [1, 10, 10, 8], filter: [1, 1, 8, 16], strides: 2, pad: 'same' },
  { x: [1, 11, 11, 2], filter: [7, 7, 2, 5], strides: 3, pad: 2 },
  { x: [2, 12, 12, 4], filter: [3, 3, 4, 4], strides: 1, pad: 'same', dilations: 2 },
  // Winograd's shapes (3x3, stride 1, 32 or more channels in multiples of 16; see the test below).
  { x: [2, 12, 12, 32], filter: [3, 3, 32, 48], strides: 1, pad: 'same', winograd: true },
  { x: [3, 10, 14, 48], filter: [3, 3, 48, 32], strides: 1, pad: 'valid', winograd: true },
];

describe('onednn convolutions match the cpu backend', () => {
  for (const c of convCases) {
    const name = `x [${c.x}] filter [${c.filter}] stride ${c.strides} pad ${c.pad} dilation ${c.dilations ?? 1}`;
    it(`forward, both gradients, fused bias and relu: ${name}`, async () => {
      const { cpu, onednn } = await onBoth(() => {
        const x = seeded(c.x, 1) as tf.Tensor4D;
        const f = seeded(c.filter, 2) as tf.Tensor4D;
        const bias = seeded([c.filter[3]!], 3) as tf.Tensor1D;
        const dilations = c.dilations ?? 1;
        const conv = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.conv2d(xx, ff, c.strides, c.pad, 'NHWC', dilations);
        const y = conv(x, f);
        const fused = tf.fused.conv2d({
          x,
          filter: f,
          strides: c.strides,
          pad: c.pad,
          dilations,
          bias,
          activation: 'relu',
        });
        const grads =
          dilations === 1
            ? tf.grads((xx, ff) =>
                conv(xx as tf.Tensor4D, ff as tf.Tensor4D)
                  .square()
                  .sum(),
              )([x, f])
            : [];
        return [y, fused, ...grads];
      });
      cpu.forEach((values, i) =>
        c.winograd
          ? expectCloseToScale(onednn[i]!, values, 1e-5, `output ${i}`)
          : expectClose(onednn[i]!, values, 1e-4, `output ${i}`),
      );
    });
  }

  it("runs oneDNN's Winograd forward and to the input where it pays, and the direct convolution elsewhere", () => {
    const implementation = (x: number[], filter: number[], strides: number, pad: 'same' | 'valid') => {
      const info = tf.backend_util.computeConv2DInfo(
        x as [number, number, number, number],
        filter as [number, number, number, number],
        strides,
        1,
        pad,
      );
      return addon().convImplementation(geometry(info)!);
    };
    for (const c of convCases.filter((c) => c.winograd)) {
      const { forward, backwardData } = implementation(c.x, c.filter, c.strides, c.pad as 'same' | 'valid');
      expect(forward).toMatch(/^jit_wino/);
      expect(backwardData).toMatch(/^jit_wino/);
    }
    for (const [x, filter, strides] of [
      [[2, 12, 12, 16], [3, 3, 16, 32], 1], // 16 channels in: the direct convolution measured faster
      [[2, 12, 12, 32], [3, 3, 32, 40], 1], // 40 channels out: not a multiple of 16
      [[2, 12, 12, 32], [3, 3, 32, 32], 2], // strided
      [[2, 12, 12, 32], [5, 5, 32, 32], 1], // 5x5
      [[2, 9, 9, 32], [3, 3, 32, 32], 1], // 9x9 out: 4x4 tiles would cover 12x12
    ] as const) {
      const { forward, backwardData } = implementation([...x], [...filter], strides, 'same');
      expect(`${forward} ${backwardData}`, `x [${x}] filter [${filter}] stride ${strides}`).not.toMatch(/wino/);
    }
  });

  it('depthwise convolutions with a channel multiplier, and their gradients', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = seeded([2, 9, 8, 6], 4) as tf.Tensor4D;
      const f = seeded([3, 3, 6, 2], 5) as tf.Tensor4D;
      const conv = (xx: tf.Tensor4D, ff: tf.Tensor4D) => tf.depthwiseConv2d(xx, ff, 2, 'same');
      return [
        conv(x, f),
        ...tf.grads((xx, ff) =>
          conv(xx as tf.Tensor4D, ff as tf.Tensor4D)
            .square()
            .sum(),
        )([x, f]),
      ];
    });
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 1e-4, `output ${i}`));
  });

  it('falls back to the cpu kernel for what oneDNN cannot fuse (prelu), with the same result', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = seeded([1, 6, 6, 3], 6) as tf.Tensor4D;
      const f = seeded([3, 3, 3, 2], 7) as tf.Tensor4D;
      return tf.fused.conv2d({
        x,
        filter: f,
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        activation: 'prelu',
        preluActivationWeights: tf.scalar(0.1),
      });
    });
    expectClose(onednn[0]!, cpu[0]!, 1e-5);
  });
});

describe('onednn matrix products, pooling, batch norm and element-wise kernels match the cpu backend', () => {
  it('matMul with transposes and batches, fused bias and activations', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const a = seeded([3, 5, 7], 1);
      const b = seeded([3, 7, 4], 2);
      const bT = seeded([4, 7], 3);
      const bias = seeded([4], 4);
      return [
        tf.matMul(a, b),
        tf.matMul(a.reshape([15, 7]), bT, false, true),
        tf.matMul(seeded([7, 5], 5), seeded([7, 4], 6), true, false),
        tf.matMul(a, seeded([1, 7, 4], 7)),
        tf.fused.matMul({ a: a.reshape([15, 7]), b: bT, transposeB: true, bias, activation: 'elu' }),
        tf.fused.matMul({ a: a.reshape([15, 7]), b: bT, transposeB: true, bias, activation: 'sigmoid' }),
      ];
    });
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 1e-5, `product ${i}`));
  });

  it('max and average pooling and their gradients', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = seeded([2, 9, 9, 5], 8) as tf.Tensor4D;
      const max = (xx: tf.Tensor4D) => tf.maxPool(xx, 3, 2, 'same');
      const avg = (xx: tf.Tensor4D) => tf.avgPool(xx, [2, 3], [2, 1], 'same');
      return [
        max(x),
        avg(x),
        tf.avgPool(x, 2, 2, 'valid'),
        tf.grad((xx) =>
          max(xx as tf.Tensor4D)
            .square()
            .sum(),
        )(x),
        tf.grad((xx) =>
          avg(xx as tf.Tensor4D)
            .square()
            .sum(),
        )(x),
        // The max-pool gradient again, same shape, other values (its forward pass's buffers are kept between
        // calls), and over four distinct values, where most windows tie for their maximum: the first one takes it.
        tf.grad((xx) =>
          max(xx as tf.Tensor4D)
            .square()
            .sum(),
        )(seeded([2, 9, 9, 5], 9)),
        tf.grad((xx) => max(xx as tf.Tensor4D).sum())(seeded([2, 9, 9, 5], 10).mul(2).round()),
      ];
    });
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 1e-5, `pooling ${i}`));
  });

  it('batch norm at inference (FusedBatchNorm), with and without scale and offset', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = seeded([4, 3, 3, 6], 9);
      const mean = seeded([6], 10);
      const variance = seeded([6], 11).abs();
      return [tf.batchNorm(x, mean, variance, seeded([6], 12), seeded([6], 13), 1e-3), tf.batchNorm(x, mean, variance)];
    });
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 1e-5, `batch norm ${i}`));
  });

  it('activations, Step, binary ops with broadcasting and reductions', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = seeded([3, 4, 5], 14);
      const row = seeded([5], 15);
      return [
        tf.relu(x),
        tf.relu6(x.mul(10)),
        tf.elu(x),
        tf.leakyRelu(x, 0.3),
        tf.sigmoid(x),
        tf.tanh(x),
        tf.exp(x),
        tf.log(x.abs().add(0.1)), // oneDNN's exp, log, tanh and sigmoid are within 1e-4 of Math's
        tf.sqrt(x.abs()),
        tf.square(x),
        tf.abs(x),
        tf.step(x, 0.25),
        tf.add(x, row),
        tf.add(row, x),
        tf.sub(x, row),
        tf.sub(row, x),
        tf.mul(x, 3),
        tf.div(x, row.add(2)),
        tf.sum(x, [0, 1]),
        tf.sum(x, 2, true),
        tf.mean(x, [1, 2]),
        tf.sum(x),
        // Over axes of size 1 only (MobileNetV3's squeeze-excite pooling at 1x1): no reduction for oneDNN.
        tf.mean(x.reshape([3, 1, 1, 20]), [1, 2], true),
        tf.sum(x.reshape([3, 1, 1, 20]), [1, 2]),
      ];
    });
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 1e-4, `element-wise ${i}`));
  });

  it("Relu's gradient is one kernel on onednn, with the cpu backend's values (NaN and infinities kept)", async () => {
    const gradient = () => {
      const x = tf.concat([seeded([4, 5, 6, 7], 16).reshape([-1]), tf.tensor([NaN, Infinity, -Infinity, 0, -0])]);
      const dy = tf.concat([seeded([840], 17), tf.tensor([2, 3, 4, Infinity, NaN])]);
      return tf.grad((xx: tf.Tensor) => tf.relu(xx))(x, dy);
    };
    const { cpu, onednn } = await onBoth(gradient);
    expect(Array.from(onednn[0]!)).toEqual(Array.from(cpu[0]!));
    await tf.setBackend('onednn');
    const { kernelNames } = await tf.profile(() => tf.tidy(gradient));
    expect(kernelNames).toContain(RELU_GRAD);
    expect(kernelNames).not.toContain('Step');
  });

  it("RELU_BIAS_GRAD: the ReLU's gradient through its output and the bias's sum in one pass, as cpu's", async () => {
    // 40 rows of 3 channels, then 4 rows with NaN, an infinity and zeros in y; then 70,000 values.
    for (const [rows, special] of [
      [40, true],
      [70_000 / 7, false],
    ] as const) {
      const channels = special ? 3 : 7;
      const compute = () => {
        let y = seeded([rows, channels], 18);
        let dy = seeded([rows, channels], 19);
        if (special) {
          y = tf.concat([
            y,
            tf.tensor([
              [NaN, 1, 0],
              [-0, 2, Infinity],
              [3, -1, 0.5],
              [1, 1, 1],
            ]),
          ]);
          dy = tf.concat([
            dy,
            tf.tensor([
              [1, 2, 3],
              [4, 5, 6],
              [7, 8, 9],
              [NaN, 1, -Infinity],
            ]),
          ]);
        }
        const shape = [2, y.shape[0] / 2, 1, channels];
        if (tf.getBackend() === 'cpu') {
          const dz = tf.mul(dy, tf.step(y));
          return [dz.reshape(shape), tf.sum(dz, 0)];
        }
        return tf.engine().runKernel(RELU_BIAS_GRAD, { dy: dy.reshape(shape), y: y.reshape(shape) }) as tf.Tensor[];
      };
      const { cpu, onednn } = await onBoth(compute);
      expect(Array.from(onednn[0]!), `dz, ${rows} rows`).toEqual(Array.from(cpu[0]!));
      if (special) {
        // NaN and -Infinity reach their channel's sum, as they reach cpu's.
        expect([onednn[1]![0], onednn[1]![2]]).toEqual([NaN, -Infinity]);
        expect([cpu[1]![0], cpu[1]![2]]).toEqual([NaN, -Infinity]);
        expectClose([onednn[1]![1]!], [cpu[1]![1]!], 1e-5, 'dbias, channel 1');
      } else expectClose(onednn[1]!, cpu[1]!, 1e-5, `dbias, ${rows} rows`);
    }
  });

  it('keeps NaN and infinities as the cpu backend does, and never crashes on them', async () => {
    const { cpu, onednn } = await onBoth(() => {
      const x = tf.tensor([NaN, Infinity, -Infinity, 0, -1, 1]);
      return [tf.relu(x), tf.step(x), tf.add(x, x), tf.sum(x), tf.matMul(x.reshape([2, 3]), x.reshape([3, 2]))];
    });
    cpu.forEach((values, i) => expect(Array.from(onednn[i]!), `output ${i}`).toEqual(Array.from(values)));
  });
});
