import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import '../index.js';
import {
  type ConvCase,
  expectCloseRelative,
  expectGradsMatchCpu,
  randomValues,
  seededRandom,
  useBackend,
} from '../testing/conv_grads.js';
import { asWasmBackend } from '../wasm_backend.js';
import { setSimdKernels, simdKernelsEnabled, simdFor } from './module.js';
import { patchConv2DBackpropFilter } from './patch_gemm.js';
import { winogradConv2D, winogradServes } from './winograd.js';

type Pad = ConvCase['pad'];
const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/** conv2d (+ bias, activation) through tf.fused.conv2d on a backend, same seeded inputs everywhere. */
async function forward(backend: string, c: ConvCase, seed: number, fused?: { activation: 'linear' | 'relu' | 'elu' }) {
  await useBackend(backend);
  const random = seededRandom(seed);
  const x = tf.tensor4d(randomValues(random, size(c.x)), c.x);
  const w = tf.tensor4d(randomValues(random, size(c.filter)), c.filter);
  const bias = tf.tensor1d(randomValues(random, c.filter[3]));
  const y = fused
    ? tf.fused.conv2d({ x, filter: w, strides: c.strides, pad: c.pad, bias, activation: fused.activation })
    : tf.conv2d(x, w, c.strides, c.pad);
  const values = (await y.data()) as Float32Array;
  tf.dispose([x, w, bias, y]);
  return values;
}

const describeCase = (c: ConvCase) => `x [${c.x}] filter [${c.filter}] pad ${JSON.stringify(c.pad)}`;

/** 3x3 stride-1 convolutions with 16+ channels in multiples of 4: what Winograd F(4x4, 3x3) serves. */
const served: ConvCase[] = [
  { x: [2, 9, 9, 64], filter: [3, 3, 64, 64], strides: 1, pad: 'same' },
  { x: [1, 30, 30, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'valid' },
  { x: [3, 7, 11, 16], filter: [3, 3, 16, 20], strides: 1, pad: 'same' },
  { x: [1, 13, 6, 20], filter: [3, 3, 20, 16], strides: 1, pad: 'valid' },
  {
    x: [2, 8, 8, 24],
    filter: [3, 3, 24, 16],
    strides: 1,
    pad: [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  },
  { x: [1, 5, 9, 16], filter: [3, 3, 16, 32], strides: 1, pad: 2 },
];

afterEach(() => setSimdKernels(true));

describe('the SIMD module', () => {
  it('instantiates on the wasm backend, on the heap the backend uses', async () => {
    await useBackend('wasm');
    const backend = asWasmBackend(tf.backend());
    const kernels = simdFor(backend.wasm);
    expect(kernels).not.toBeNull();
    expect(simdFor(backend.wasm)).toBe(kernels); // one instance per heap
    expect(kernels!.scratchBytes(64, 64, 32, false)).toBeGreaterThan(36 * 32 * 128 * 4);
  });

  it('is off after setSimdKernels(false), and the backend kernels then serve', async () => {
    await useBackend('wasm');
    setSimdKernels(false);
    expect(simdKernelsEnabled()).toBe(false);
    expect(simdFor(asWasmBackend(tf.backend()).wasm)).toBeNull();
    const c = served[0];
    const expected = await forward('cpu', c, 7);
    expectCloseRelative(await forward('wasm', c, 7), expected, 1e-5, 'XNNPACK conv2d');
  });
});

describe('winogradServes', () => {
  const info = (x: number[], filter: number[], strides = 1, pad: Pad = 'same', dilations = 1) =>
    tf.backend_util.computeConv2DInfo(x as never, filter as never, strides, dilations, pad);
  it('takes 3x3, stride 1, channels that are multiples of 4 from 16', () => {
    expect(winogradServes(info([1, 9, 9, 16], [3, 3, 16, 32]), 16, 32, 9, 9)).toBe(true);
    expect(winogradServes(info([1, 9, 9, 3], [3, 3, 3, 32]), 3, 32, 9, 9)).toBe(false);
    expect(winogradServes(info([1, 9, 9, 18], [3, 3, 18, 32]), 18, 32, 9, 9)).toBe(false);
    expect(winogradServes(info([1, 9, 9, 16], [5, 5, 16, 32]), 16, 32, 9, 9)).toBe(false);
    expect(winogradServes(info([1, 9, 9, 16], [3, 3, 16, 32], 2), 16, 32, 5, 5)).toBe(false);
    expect(winogradServes(info([1, 9, 9, 16], [3, 3, 16, 32], 1, 'same', 2), 16, 32, 9, 9)).toBe(false);
  });
  it('leaves outputs that fill little of their 4x4 tiles to the direct convolution', () => {
    expect(winogradServes(info([1, 3, 3, 16], [3, 3, 16, 16], 1, 'valid'), 16, 16, 1, 1)).toBe(false);
    expect(winogradServes(info([1, 7, 7, 16], [3, 3, 16, 16], 1, 'valid'), 16, 16, 5, 5)).toBe(true);
  });
});

describe('Winograd F(4x4, 3x3) convolutions on wasm', () => {
  it.each(served.map((c, i) => [describeCase(c), c, i] as const))('Conv2D matches cpu: %s', async (_, c, i) => {
    const expected = await forward('cpu', c, i);
    const actual = await forward('wasm', c, i);
    expectCloseRelative(actual, expected, 2e-5, describeCase(c));
  });

  it('Conv2D runs the Winograd path for these shapes (same bits as calling it directly)', async () => {
    await useBackend('wasm');
    const c = served[2];
    const random = seededRandom(3);
    const x = tf.tensor4d(randomValues(random, size(c.x)), c.x);
    const w = tf.tensor4d(randomValues(random, size(c.filter)), c.filter);
    const backend = asWasmBackend(tf.backend());
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, 1, 1, c.pad);
    const direct = winogradConv2D(backend, x, w, info)!;
    expect(direct).not.toBeNull();
    const viaDirect = Array.from(backend.typedArrayFromHeap(direct));
    backend.disposeData(direct.dataId);
    const y = tf.conv2d(x, w, 1, c.pad);
    expect(Array.from(await y.data())).toEqual(viaDirect);
    tf.dispose([x, w, y]);
  });

  it.each(['linear', 'relu', 'elu'] as const)('FusedConv2D with bias and %s matches cpu', async (activation) => {
    for (const [i, c] of served.slice(0, 3).entries()) {
      const expected = await forward('cpu', c, 10 + i, { activation });
      const actual = await forward('wasm', c, 10 + i, { activation });
      expectCloseRelative(actual, expected, 2e-5, `${activation} ${describeCase(c)}`);
    }
  });

  it.each(served.map((c, i) => [describeCase(c), c, i] as const))(
    'tf.grads for input and filter together match cpu: %s',
    async (_, c, i) => {
      await expectGradsMatchCpu(c, 50 + i, 2e-5);
    },
  );

  it('matches cpu on random served shapes (fast-check, seeded)', async () => {
    const pads: fc.Arbitrary<Pad> = fc.oneof(
      fc.constantFrom<Pad>('same', 'valid', 1, 2),
      fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2)).map(([t, b, l, r]): Pad => [
        [0, 0],
        [t, b],
        [l, r],
        [0, 0],
      ]),
    );
    const channels = fc.constantFrom(16, 20, 24, 32);
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          n: fc.integer({ min: 1, max: 3 }),
          h: fc.integer({ min: 3, max: 14 }),
          w: fc.integer({ min: 3, max: 14 }),
        }),
        channels,
        channels,
        pads,
        async ({ n, h, w }, ci, co, pad) => {
          const c: ConvCase = { x: [n, h, w, ci], filter: [3, 3, ci, co], strides: 1, pad };
          await expectGradsMatchCpu(c, h * 31 + w, 2e-5);
          expectCloseRelative(await forward('wasm', c, 1), await forward('cpu', c, 1), 2e-5, `y of ${describeCase(c)}`);
        },
      ),
      { numRuns: 12, seed: 20261123, endOnFailure: true },
    );
  });

  it('leaves no tensors or heap buffers behind', async () => {
    await useBackend('wasm');
    const x = tf.randomNormal<tf.Rank.R4>([2, 9, 9, 16]);
    const w = tf.randomNormal<tf.Rank.R4>([3, 3, 16, 32]);
    const f = (a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')
        .square()
        .sum();
    const step = () => tf.dispose(tf.grads(f)([x, w]));
    step();
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
    tf.dispose([x, w]);
  });
});

describe('wasmSimdStatus', () => {
  it('says ready on a started wasm backend in Node, disabled when turned off', async () => {
    const { wasmSimdStatus } = await import('../index.js');
    await useBackend('wasm');
    expect(wasmSimdStatus()).toBe('ready');
    setSimdKernels(false);
    expect(wasmSimdStatus()).toBe('disabled');
  });
});

describe('filter gradients as one SIMD product per tap (what Winograd does not serve)', () => {
  const cases: ConvCase[] = [
    { x: [2, 11, 9, 3], filter: [3, 3, 3, 16], strides: 1, pad: 'same' }, // a first layer: 3 input channels
    { x: [1, 13, 10, 16], filter: [3, 3, 16, 32], strides: 2, pad: 'same' },
    { x: [2, 9, 9, 8], filter: [5, 5, 8, 4], strides: 3, pad: 'valid' },
    { x: [1, 15, 15, 4], filter: [7, 7, 4, 8], strides: 2, pad: 3 },
    { x: [2, 8, 8, 20], filter: [1, 1, 20, 12], strides: 2, pad: 'same' },
    {
      x: [1, 10, 9, 6],
      filter: [3, 5, 6, 8],
      strides: [2, 1],
      pad: [
        [0, 0],
        [1, 2],
        [0, 1],
        [0, 0],
      ],
    },
  ];
  it.each(cases.map((c, i) => [describeCase(c), c, i] as const))('tf.grads match cpu: %s', async (_, c, i) => {
    await expectGradsMatchCpu(c, 80 + i, 2e-5);
  });

  it('is the path taken for these shapes (same bits as calling it directly)', async () => {
    await useBackend('wasm');
    const c = cases[1];
    const random = seededRandom(4);
    const x = tf.tensor4d(randomValues(random, size(c.x)), c.x);
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
    const dy = tf.tensor4d(randomValues(random, size(info.outShape)), info.outShape);
    const backend = asWasmBackend(tf.backend());
    const direct = patchConv2DBackpropFilter(backend, x, dy, info)!;
    const viaDirect = Array.from(backend.typedArrayFromHeap(direct));
    backend.disposeData(direct.dataId);
    const dw = tf.engine().runKernel<tf.Tensor>(
      'Conv2DBackpropFilter',
      { x, dy },
      {
        strides: c.strides,
        pad: c.pad,
        dataFormat: 'NHWC',
        filterShape: c.filter,
      },
    );
    expect(Array.from(await dw.data())).toEqual(viaDirect);
    tf.dispose([x, dy, dw]);
  });
});
