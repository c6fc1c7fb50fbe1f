import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import { setSimdKernels } from '../simd/module.js';
import { withAndWithoutSimd } from '../testing/simd_modes.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

afterEach(() => setSimdKernels(true));

/** Runs f on fresh seeded tensors of the given shapes (values in [shift - 1, shift + 1]) on a backend. */
async function on(backend: string, shapes: number[][], f: (...t: tf.Tensor[]) => tf.Tensor, shift = 0, seed = 1) {
  await useBackend(backend);
  const random = seededRandom(seed);
  const inputs = shapes.map((s) =>
    tf.tensor(
      randomValues(random, size(s)).map((v) => v + shift),
      s,
    ),
  );
  const y = f(...inputs);
  const result = { shape: y.shape, values: Array.from(await y.data()) };
  tf.dispose([...inputs, y]);
  return result;
}

async function expectMatchesCpu(shapes: number[][], f: (...t: tf.Tensor[]) => tf.Tensor, what: string, shift = 0) {
  await withAndWithoutSimd(async (simd) => {
    const expected = await on('cpu', shapes, f, shift);
    const actual = await on('wasm', shapes, f, shift);
    expect(actual.shape).toEqual(expected.shape);
    expectCloseRelative(actual.values, expected.values, 1e-6, `${simd ? 'SIMD' : 'backend'}: ${what}`);
  });
}

describe('FusedBatchNorm on wasm', () => {
  const bn = (x: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o?: tf.Tensor, s?: tf.Tensor) =>
    tf.batchNorm(x, m, v.abs(), o, s, 1e-3);
  it.each([
    [[8, 5, 7, 16], [16]],
    [[4, 3, 3, 7], [7]], // channels not a multiple of 4
    [[6, 12], [12]],
    [
      [2, 4, 4, 8],
      [1, 1, 1, 8],
    ],
  ])('matches cpu for x %j and statistics %j, with and without offset and scale', async (x, c) => {
    await expectMatchesCpu([x, c, c, c, c], bn, `batchNorm of [${x}] with offset and scale`);
    await expectMatchesCpu([x, c, c], (a, m, v) => bn(a, m, v), `batchNorm of [${x}] alone`);
  });

  it('keeps precision when the mean is far from zero (x - mean first)', async () => {
    await expectMatchesCpu(
      [[4, 6, 6, 8], [8], [8], [8], [8]],
      (x, m, v, o, s) => tf.batchNorm(x, m.add(100), v.abs().mul(1e-4), o, s, 1e-6),
      'mean 100, std 0.01',
      100,
    );
  });

  it('leaves statistics of other shapes to the backend kernel', async () => {
    await expectMatchesCpu(
      [
        [3, 4, 4, 8],
        [4, 4, 8],
        [4, 4, 8],
      ],
      (x, m, v) => bn(x, m, v),
      'statistics of shape [4,4,8]',
    );
  });
});

describe('the gradient of FusedBatchNorm on wasm', () => {
  /** Gradients of sum(batchNorm(x, mean, variance, offset, scale) * r) with respect to every input. */
  async function bnGrads(backend: string, x: number[], c: number[], simd = true) {
    setSimdKernels(simd);
    await useBackend(backend);
    const random = seededRandom(9);
    const t = (shape: number[], shift = 0) =>
      tf.tensor(
        randomValues(random, size(shape)).map((v) => v + shift),
        shape,
      );
    const [xs, m, v, o, s, r] = [t(x), t(c), t(c, 2), t(c), t(c, 1), t(x)];
    // With a scale: without one, tfjs-core 4.22 cannot differentiate batchNorm on any backend (it saves an undefined
    // input).
    const f = (a: tf.Tensor, mm: tf.Tensor, vv: tf.Tensor, oo: tf.Tensor, ss: tf.Tensor) =>
      tf.batchNorm(a, mm, vv, oo, ss, 1e-3).mul(r).sum();
    const args = [xs, m, v, o, s];
    const profile = await tf.profile(() => tf.grads(f)(args));
    const grads = tf.grads(f)(args);
    const values = await Promise.all(grads.map(async (g) => Array.from(await g.data())));
    tf.dispose([xs, m, v, o, s, r, ...grads]);
    return { values, kernels: new Set(profile.kernelNames) };
  }

  it.each([
    [[6, 5, 4, 16], [16], true],
    [[40, 7], [7], true],
    // Without a scale, tfjs-core 4.22 cannot differentiate batchNorm on any backend (it saves an undefined input).
  ] as const)(
    'x %j, statistics %j, scale %s: every input gradient matches cpu, in one fused kernel',
    async (x, c, withScale) => {
      const cpu = await bnGrads('cpu', [...x], [...c], withScale);
      const wasm = await bnGrads('wasm', [...x], [...c], withScale);
      expect(wasm.kernels.has('TfjsWasmTrainBatchNormGrad')).toBe(true);
      cpu.values.forEach((g, i) => expectCloseRelative(wasm.values[i], g, 1e-5, `gradient of input ${i}`));
    },
  );

  it("falls back to tfjs-core's gradient without the SIMD kernels or on other backends", async () => {
    const cpu = await bnGrads('cpu', [6, 5, 4, 8], [8]);
    expect(cpu.kernels.has('TfjsWasmTrainBatchNormGrad')).toBe(false);
    const wasm = await bnGrads('wasm', [6, 5, 4, 8], [8], false);
    expect(wasm.kernels.has('TfjsWasmTrainBatchNormGrad')).toBe(false);
    cpu.values.forEach((g, i) => expectCloseRelative(wasm.values[i], g, 1e-5, `gradient of input ${i}`));
  });
});

describe('TfjsWasmTrainBatchNormTrainGrad: batch norm on the batch statistics, differentiated in one kernel', () => {
  /** dx, dscale, doffset of sum(batchNorm(x, moments(x), offset, scale) * r): tfjs-core's composite gradient on cpu. */
  async function composite(x: number[], c: number) {
    await useBackend('cpu');
    const random = seededRandom(4);
    const [xs, o, s, r] = [x, [c], [c], x].map((shape, i) =>
      tf.tensor(
        randomValues(random, size(shape)).map((v) => v * (i === 0 ? 3 : 1) + (i === 0 ? 2 : 0)),
        shape,
      ),
    );
    const axes = [...Array(x.length - 1).keys()];
    const f = (a: tf.Tensor, oo: tf.Tensor, ss: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, axes);
      return tf
        .batchNorm(a, mean, variance, oo as tf.Tensor1D, ss as tf.Tensor1D, 1e-3)
        .mul(r!)
        .sum();
    };
    const grads = tf.grads(f)([xs!, o!, s!]);
    const values = grads.map((g) => Array.from(g.dataSync()));
    const inputs = { x: xs!.arraySync(), s: s!.arraySync(), r: r!.arraySync() };
    tf.dispose([xs!, o!, s!, r!, ...grads]);
    return { values, inputs };
  }

  it.each([
    [[6, 5, 4, 16], 16],
    [[40, 7], 7],
  ] as const)('matches the composite gradient for x %j, with and without SIMD', async (x, c) => {
    const { values, inputs } = await composite([...x], c);
    await withAndWithoutSimd(async (simd) => {
      await useBackend('wasm');
      const xs = tf.tensor(inputs.x as number[]);
      const scale = tf.tensor1d(inputs.s as number[]);
      const dy = tf.tensor(inputs.r as number[]); // d sum(y * r) / dy = r
      const { mean, variance } = tf.moments(xs, [...Array(x.length - 1).keys()]);
      const out = tf
        .engine()
        .runKernel('TfjsWasmTrainBatchNormTrainGrad', { dy, x: xs, mean, variance, scale }, { varianceEpsilon: 1e-3 });
      const [dx, dScale, dOffset] = out as tf.Tensor[];
      const what = `${simd ? 'SIMD' : 'JavaScript'} x [${x}]`;
      expectCloseRelative(Array.from(dx!.dataSync()), values[0]!, 1e-5, `dx, ${what}`);
      expectCloseRelative(Array.from(dOffset!.dataSync()), values[1]!, 1e-5, `doffset, ${what}`);
      expectCloseRelative(Array.from(dScale!.dataSync()), values[2]!, 1e-5, `dscale, ${what}`);
      tf.dispose([xs, scale, dy, mean, variance, dx!, dScale!, dOffset!]);
    });
  });
});

describe('TfjsWasmTrainAdamUpdate: one Adam step of a variable in one kernel', () => {
  it.each([[[3, 3, 16, 16]], [[7]], [[1]]])(
    "matches tfjs-core's AdamOptimizer step on cpu (shape %j), with and without SIMD",
    async (shape) => {
      const random = seededRandom(6);
      const [x0, g1, g2] = [0, 1, 2].map(() => randomValues(random, size(shape)));
      // Two steps of TF.js's Adam on cpu: its values and moments after each.
      await useBackend('cpu');
      const w = tf.variable(tf.tensor(x0!, shape), true, `adam_kernel_${shape.join('x')}`);
      const adam = tf.train.adam(0.01);
      const expected: number[][] = [];
      for (const g of [g1!, g2!]) {
        adam.applyGradients([{ name: w.name, tensor: tf.tensor(g, shape) }]);
        expected.push(Array.from(w.dataSync()));
      }
      const moments = (await adam.getWeights()).slice(1).map((t) => Array.from(t.tensor.dataSync()));
      tf.dispose([w]);
      adam.dispose();
      await withAndWithoutSimd(async (simd) => {
        await useBackend('wasm');
        let [value, m, v] = [tf.tensor(x0!, shape), tf.zeros(shape), tf.zeros(shape)];
        let [acc1, acc2] = [Math.fround(0.9), Math.fround(0.999)];
        for (const [step, g] of [g1!, g2!].entries()) {
          const gradient = tf.tensor(g, shape);
          const attrs = {
            beta1: 0.9,
            beta2: 0.999,
            epsilon: tf.backend().epsilon(),
            learningRate: 0.01,
            oneMinusAccBeta1: Math.fround(1 - acc1),
            oneMinusAccBeta2: Math.fround(1 - acc2),
          };
          const out = tf.engine().runKernel('TfjsWasmTrainAdamUpdate', { value, m, v, gradient }, attrs) as tf.Tensor[];
          tf.dispose([value, m, v, gradient]);
          [value, m, v] = out as [tf.Tensor, tf.Tensor, tf.Tensor];
          expectCloseRelative(
            Array.from(value.dataSync()),
            expected[step]!,
            1e-6,
            `${simd ? 'SIMD' : 'JS'} step ${step + 1}`,
          );
          [acc1, acc2] = [Math.fround(acc1 * 0.9), Math.fround(acc2 * 0.999)];
        }
        expectCloseRelative(Array.from(m.dataSync()), moments[0]!, 1e-6, 'm');
        expectCloseRelative(Array.from(v.dataSync()), moments[1]!, 1e-6, 'v');
        tf.dispose([value, m, v]);
      });
    },
  );
});

describe('Add, Sub, Multiply, RealDiv with a per-channel operand on wasm', () => {
  const ops = {
    add: (a: tf.Tensor, b: tf.Tensor) => tf.add(a, b),
    sub: (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, b),
    mul: (a: tf.Tensor, b: tf.Tensor) => tf.mul(a, b),
    div: (a: tf.Tensor, b: tf.Tensor) => tf.div(a, b),
  };
  it.each(Object.entries(ops))('%s matches cpu, the vector on either side', async (name, op) => {
    const shift = name === 'div' ? 3 : 0; // keep divisors away from zero
    for (const [full, v] of [
      [[6, 5, 4, 12], [12]],
      [
        [6, 5, 4, 12],
        [1, 1, 1, 12],
      ],
      [
        [9, 7],
        [1, 7],
      ],
      [[3, 3, 3, 5], [5]],
    ]) {
      await expectMatchesCpu([full, v], op, `${name} [${full}] with [${v}]`, shift);
      await expectMatchesCpu([v, full], op, `${name} [${v}] with [${full}]`, shift);
    }
  });

  it('matches cpu for operands of one shape and with a scalar, on either side, also with a scalar tail', async () => {
    for (const [name, op] of Object.entries(ops)) {
      const shift = name === 'div' ? 3 : 0;
      for (const [a, b] of [
        [
          [6, 5, 4, 12],
          [6, 5, 4, 12],
        ],
        [[7], [7]],
        [[6, 5, 4, 3], []],
        [[], [6, 5, 4, 3]],
        [[3, 11], [1]],
        [[1], [3, 11]],
        [[], []],
      ]) {
        await expectMatchesCpu([a, b], op, `${name} [${a}] with [${b}]`, shift);
      }
    }
  });

  it('leaves other broadcasts and int32 to the backend kernels', async () => {
    await expectMatchesCpu(
      [
        [6, 5, 4, 12],
        [5, 1, 12],
      ],
      ops.mul,
      'mul [6,5,4,12] with [5,1,12]',
    );
    // A one-element operand of higher rank broadcasts the shape up: [1, 1] with [5] is [1, 5].
    await expectMatchesCpu([[1, 1], [5]], ops.add, 'add [1,1] with [5]');
    await useBackend('wasm');
    const a = tf.tensor2d(
      [
        [1, 2],
        [3, 4],
      ],
      [2, 2],
      'int32',
    );
    const b = tf.tensor1d([10, 20], 'int32');
    const y = tf.add(a, b);
    expect(y.dtype).toBe('int32');
    expect(Array.from(await y.data())).toEqual([11, 22, 13, 24]);
    tf.dispose([a, b, y]);
  });
});

describe('Relu, Step and Square on wasm', () => {
  it.each([[[6, 5, 4, 12]], [[7]], [[3, 3, 1]], [[]]])('match cpu on float32 of shape %j', async (shape) => {
    await expectMatchesCpu([shape], (x) => tf.relu(x), `relu [${shape}]`);
    await expectMatchesCpu([shape], (x) => tf.step(x), `step [${shape}]`);
    await expectMatchesCpu([shape], (x) => tf.step(x, 0.25), `step [${shape}] alpha 0.25`);
    await expectMatchesCpu([shape], (x) => tf.square(x), `square [${shape}]`);
  });

  it('keep NaN NaN and zero on the alpha side of Step, as cpu does', async () => {
    const values = [NaN, 0, -0, -2, 3, NaN, 1e-30, -Infinity, Infinity];
    for (const backend of ['cpu', 'wasm']) {
      await useBackend(backend);
      const x = tf.tensor1d(values);
      const [relu, step, square] = [tf.relu(x), tf.step(x, 0.5), tf.square(x)];
      expect(Array.from(await relu.data())).toEqual([NaN, 0, 0, 0, 3, NaN, Math.fround(1e-30), 0, Infinity]);
      expect(Array.from(await step.data())).toEqual([NaN, 0.5, 0.5, 0.5, 1, NaN, 1, 0.5, 1]);
      expect(Array.from(await square.data())).toEqual([NaN, 0, 0, 4, 9, NaN, 0, Infinity, Infinity]);
      tf.dispose([x, relu, step, square]);
    }
  });

  it('leave int32 to the backend kernels', async () => {
    await useBackend('wasm');
    const x = tf.tensor1d([-3, 0, 4], 'int32');
    const [relu, square] = [tf.relu(x), tf.square(x)];
    expect([relu.dtype, square.dtype]).toEqual(['int32', 'int32']);
    expect(Array.from(await relu.data())).toEqual([0, 0, 4]);
    expect(Array.from(await square.data())).toEqual([9, 0, 16]);
    tf.dispose([x, relu, square]);
  });
});

describe('Cast on wasm', () => {
  it('shares the data when the dtype does not change, and converts otherwise', async () => {
    await useBackend('wasm');
    const before = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1.5, -2.25, 0]);
    const same = tf.cast(x, 'float32');
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    const ints = tf.cast(x, 'int32');
    expect(ints.dtype).toBe('int32');
    expect(Array.from(await ints.data())).toEqual([1, -2, 0]);
    x.dispose();
    expect(Array.from(await same.data())).toEqual([1.5, -2.25, 0]);
    tf.dispose([same, ints]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});

describe('Identity on wasm', () => {
  it('shares the data instead of copying it, and frees it with the last reference', async () => {
    await useBackend('wasm');
    const before = tf.engine().backend.numDataIds();
    const x = tf.tensor2d([
      [1, 2],
      [3, 4],
    ]);
    const copy = tf.clone(x);
    expect(tf.engine().backend.numDataIds()).toBe(before + 1);
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3, 4]);
    copy.dispose();
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });

  it('copies strings through the backend kernel', async () => {
    await useBackend('wasm');
    const s = tf.tensor1d(['a', 'bc']);
    const copy = tf.clone(s);
    expect(await copy.data()).toEqual(['a', 'bc']);
    tf.dispose([s, copy]);
  });
});
