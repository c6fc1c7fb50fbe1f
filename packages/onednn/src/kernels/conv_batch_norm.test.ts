import * as tf from '@tensorflow/tfjs';
import { CONV_BATCH_NORM, CONV_BATCH_NORM_GRAD, convBatchNorm, resNet, runModel } from 'tfjs-skip';
import { beforeAll, describe, expect, it } from 'vitest';
import { onednnProblem } from '../index.js';
import { expectClose, onBoth, seeded } from '../testing.js';

beforeAll(() => {
  expect(onednnProblem()).toBeNull();
});

type Case = {
  x: number[];
  filter: number[];
  strides: number;
  pad: 'same' | 'valid';
  activation: 'relu' | 'linear';
  residual: boolean;
};

/**
 * Shapes drawn once from a fixed seed: odd and even sizes, strides 1 and 2,
 * both paddings, with and without the residual.
 */
function randomCases(count: number): Case[] {
  let state = 7;
  const draw = (low: number, high: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return low + (state % (high - low + 1));
  };
  return Array.from({ length: count }, (_, i) => {
    const kernel = [1, 3, 3, 5][draw(0, 3)]!;
    const size = draw(kernel + 2, 12);
    return {
      x: [draw(1, 4), size, size + draw(0, 2), draw(1, 9)],
      filter: [kernel, kernel, 0, draw(1, 20)],
      strides: (i % 2) + 1,
      pad: i % 3 === 0 ? 'valid' : 'same',
      activation: i % 4 === 3 ? 'linear' : 'relu',
      residual: i % 2 === 0,
    } satisfies Case;
  }).map((c) => ({ ...c, filter: [c.filter[0]!, c.filter[1]!, c.x[3]!, c.filter[3]!] }));
}

const cases: Case[] = [
  { x: [8, 16, 16, 16], filter: [3, 3, 16, 16], strides: 1, pad: 'same', activation: 'relu', residual: false },
  { x: [8, 16, 16, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'same', activation: 'relu', residual: false },
  { x: [8, 8, 8, 32], filter: [3, 3, 32, 32], strides: 1, pad: 'same', activation: 'linear', residual: true },
  ...randomCases(8),
];

/** y, mean, variance and the gradients of sum(y * weights) with respect to every input of convBatchNorm. */
function forwardAndGradients(c: Case): tf.Tensor[] {
  const x = seeded(c.x, 1) as tf.Tensor4D;
  const filter = tf.mul(seeded(c.filter, 2), 0.5) as tf.Tensor4D;
  const channels = c.filter[3]!;
  const gamma = tf.add(seeded([channels], 3), 1) as tf.Tensor1D;
  const beta = seeded([channels], 4) as tf.Tensor1D;
  const outShape = tf.backend_util.computeConv2DInfo(c.x as never, c.filter as never, c.strides, 1, c.pad).outShape;
  const residual = seeded(outShape, 5) as tf.Tensor4D;
  const weights = seeded(outShape, 6);
  const inputs = c.residual ? [x, filter, gamma, beta, residual] : [x, filter, gamma, beta];
  const run = (...t: tf.Tensor[]) =>
    convBatchNorm(t[0] as tf.Tensor4D, t[1] as tf.Tensor4D, t[2] as tf.Tensor1D, t[3] as tf.Tensor1D, {
      strides: c.strides,
      pad: c.pad,
      epsilon: 1e-3,
      activation: c.activation,
      residual: t[4] as tf.Tensor4D | undefined,
    });
  const { y, mean, variance } = run(...inputs);
  const grads = tf.grads((...t: tf.Tensor[]) => tf.sum(tf.mul(run(...t).y, weights)))(inputs);
  return [y, mean, variance, ...grads];
}

describe('the fused conv → batch norm (→ add) → ReLU kernels match the composite path on cpu', () => {
  for (const c of cases) {
    it(`y, statistics and gradients: ${JSON.stringify(c)}`, async () => {
      const { cpu, onednn } = await onBoth(() => forwardAndGradients(c));
      const names = ['y', 'mean', 'variance', 'dx', 'dfilter', 'dgamma', 'dbeta', 'dresidual'];
      expect(onednn).toHaveLength(c.residual ? 8 : 7);
      cpu.forEach((values, i) => expectClose(onednn[i]!, values, 2e-3, names[i]!));
    });
  }

  it('runs as one kernel each way on onednn (and not on cpu)', async () => {
    for (const backend of ['onednn', 'cpu']) {
      await tf.setBackend(backend);
      const { kernels } = await tf.profile(() => tf.dispose(forwardAndGradients(cases[2]!)));
      const fused = kernels.map((k) => k.name).filter((k) => k === CONV_BATCH_NORM || k === CONV_BATCH_NORM_GRAD);
      // The forward once for y, once more inside tf.grads; the gradient once.
      const expected = [CONV_BATCH_NORM, CONV_BATCH_NORM, CONV_BATCH_NORM_GRAD];
      expect(fused, backend).toEqual(backend === 'onednn' ? expected : []);
    }
  });

  // model.apply runs the Sequential's layers one by one: two runs in each of ResNet-8's three basic blocks (conv →
  // BN → ReLU, then conv → BN + the shortcut). runModel (tfjs-skip-train's step) also fuses the Sequential's own
  // conv → BN → ReLU, its stem after an InputLayer.
  it.each([
    { via: 'model.apply', runs: 6, forward: (m: tf.LayersModel, x: tf.Tensor) => m.apply(x, { training: true }) },
    { via: 'runModel', runs: 7, forward: (m: tf.LayersModel, x: tf.Tensor) => runModel(m, x, true) },
  ])('trains ResNet-8 through $via as the cpu backend does, in $runs fused runs', async ({ forward, runs }) => {
    const step = () => {
      const model = resNet({ depth: 8, inputShape: [8, 8, 3], classes: 4 });
      model.setWeights(
        model.weights.map((w, i) =>
          w.name.includes('variance') ? tf.ones(w.shape as number[]) : tf.mul(seeded(w.shape as number[], 10 + i), 0.5),
        ),
      );
      const x = seeded([6, 8, 8, 3], 9);
      const variables = model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read());
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(forward(model, x) as tf.Tensor)), variables);
      const moving = model.weights.filter((w) => w.name.includes('moving')).map((w) => w.read().clone());
      model.dispose();
      return [value, ...variables.map((v) => grads[v.name]!), ...moving];
    };
    await tf.setBackend('onednn');
    const { kernels } = await tf.profile(() => tf.dispose(tf.tidy(step)));
    expect(kernels.filter((k) => k.name === CONV_BATCH_NORM)).toHaveLength(runs);
    expect(kernels.filter((k) => k.name === CONV_BATCH_NORM_GRAD)).toHaveLength(runs);
    const { cpu, onednn } = await onBoth(step);
    cpu.forEach((values, i) => expectClose(onednn[i]!, values, 5e-3, `output ${i}`));
  });

  it('passes NaN to y and the gradients without crashing', async () => {
    await tf.setBackend('onednn');
    const out = tf.tidy(() => {
      const x = tf.tensor4d([NaN, ...Array.from({ length: 31 }, (_, i) => i / 7)], [2, 4, 4, 1]);
      const filter = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
      const args = { strides: 1, pad: 'same', epsilon: 1e-3, activation: 'relu' } as const;
      const f = (xx: tf.Tensor) =>
        convBatchNorm(xx as tf.Tensor4D, filter, tf.ones([2]).as1D(), tf.zeros([2]).as1D(), args).y;
      return [f(x), tf.grad((xx: tf.Tensor) => tf.sum(f(xx)))(x)];
    });
    for (const t of out) expect(t.dataSync().some(Number.isNaN)).toBe(true);
    tf.dispose(out);
  });

  it('refuses what it cannot take with a TypeError that says what it received', async () => {
    await tf.setBackend('onednn');
    const x = tf.zeros([2, 5, 5, 3]);
    const filter = tf.zeros([3, 3, 3, 4]);
    const [scale, offset] = [tf.ones([4]), tf.zeros([4])];
    const attrs = { strides: 1, pad: 'same', varianceEpsilon: 1e-3, activation: 'relu' };
    const run =
      (inputs: Record<string, tf.Tensor>, extra: Record<string, unknown> = {}) =>
      () =>
        tf
          .engine()
          .runKernel(CONV_BATCH_NORM, { x, filter, scale, offset, ...inputs }, { ...attrs, ...extra } as never);
    expect(run({ x: tf.zeros([2, 5, 5, 3], 'int32') })).toThrow(
      /TfjsSkipConvBatchNorm: expected float32 x .* received x int32/,
    );
    expect(run({ filter: tf.zeros([3, 3, 2, 4]) })).toThrow(/takes 2 input channels; x \[2,5,5,3\] has 3/);
    expect(run({ scale: tf.ones([3]) })).toThrow(/'scale' must be float32 \[4\] .* received float32 \[3\]/);
    expect(run({ residual: tf.zeros([2, 3, 3, 4]) })).toThrow(
      /'residual' must be float32 of the convolution's output shape \[2,5,5,4\]/,
    );
    expect(run({}, { activation: 'elu' })).toThrow(/activation must be 'relu' or 'linear'; received "elu"/);
    expect(run({}, { pad: 2 })).toThrow(/pad must be 'same' or 'valid'; received 2/);
  });
});
