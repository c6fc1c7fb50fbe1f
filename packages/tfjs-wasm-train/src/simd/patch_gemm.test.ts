import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { expectCloseRelative, randomValues, seededRandom, useBackend } from '../testing/conv_grads.js';
import { asWasmBackend } from '../wasm_backend.js';
import { patchConv2D, patchConv2DBackpropInput } from './patch_gemm.js';

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

const patchCase = fc.record({
  n: fc.integer({ min: 1, max: 3 }),
  h: fc.integer({ min: 1, max: 11 }),
  w: fc.integer({ min: 1, max: 11 }),
  ci: fc.constantFrom(1, 3, 4, 8, 12),
  co: fc.constantFrom(4, 8, 12),
  kh: fc.constantFrom(1, 2, 3, 5),
  kw: fc.constantFrom(1, 3),
  stride: fc.constantFrom<[number, number]>([1, 1], [2, 2], [3, 1], [1, 2]),
  pad: fc.constantFrom<'same' | 'valid'>('same', 'valid'),
  bias: fc.boolean(),
  relu: fc.boolean(),
  seed: fc.nat(),
});
type PatchCase = typeof patchCase extends fc.Arbitrary<infer T> ? T : never;

/** The case's tensors (x, filter, bias, dy), seeded; dy fits the convolution's output. */
function tensors(c: PatchCase) {
  const random = seededRandom(c.seed);
  const x = tf.tensor4d(randomValues(random, c.n * c.h * c.w * c.ci), [c.n, c.h, c.w, c.ci]);
  const filter = tf.tensor4d(randomValues(random, c.kh * c.kw * c.ci * c.co), [c.kh, c.kw, c.ci, c.co]);
  const bias = tf.tensor1d(randomValues(random, c.co));
  const info = tf.backend_util.computeConv2DInfo(x.shape, filter.shape, c.stride, 1, c.pad);
  const dy = tf.tensor(randomValues(random, size(info.outShape)), info.outShape);
  return { x, filter, bias, dy, info };
}

/** y (with the case's bias and relu) and dx, by the cpu backend. */
async function onCpu(c: PatchCase): Promise<[Float32Array, Float32Array]> {
  await useBackend('cpu');
  const { x, filter, bias, dy } = tensors(c);
  const y = tf.fused.conv2d({
    x,
    filter,
    strides: c.stride,
    pad: c.pad,
    bias: c.bias ? bias : undefined,
    activation: c.relu ? 'relu' : 'linear',
  });
  const dx = tf.conv2dTranspose(dy as tf.Tensor4D, filter, x.shape, c.stride, c.pad);
  const out: [Float32Array, Float32Array] = [y.dataSync() as Float32Array, dx.dataSync() as Float32Array];
  tf.dispose([x, filter, bias, dy, y, dx]);
  return out;
}

/** The same by the patch products, called directly on the wasm backend. */
async function onPatches(c: PatchCase): Promise<[Float32Array, Float32Array]> {
  await useBackend('wasm');
  const backend = asWasmBackend(tf.backend());
  const { x, filter, bias, dy, info } = tensors(c);
  const y = patchConv2D(backend, x, filter, info, c.bias ? bias : null, c.relu);
  const dx = patchConv2DBackpropInput(backend, dy, filter, info);
  if (y === null || dx === null) throw new Error(`the patch products did not serve ${JSON.stringify(c)}`);
  const [ty, tdx] = [y, dx].map((t) => tf.engine().makeTensorFromTensorInfo(t));
  const out: [Float32Array, Float32Array] = [ty!.dataSync() as Float32Array, tdx!.dataSync() as Float32Array];
  tf.dispose([x, filter, bias, dy, ty!, tdx!]);
  return out;
}

describe('convolutions as SIMD products over gathered patches', () => {
  it('compute what the cpu backend does, forward (bias, relu) and dx, over kernel sizes, strides, pads', async () => {
    await fc.assert(
      fc.asyncProperty(patchCase, async (c) => {
        if (c.pad === 'valid' && (c.h < c.kh || c.w < c.kw)) return;
        const [y, dx] = await onPatches(c);
        const [yCpu, dxCpu] = await onCpu(c);
        expectCloseRelative(y, yCpu, 1e-5, `y of ${JSON.stringify(c)}`);
        expectCloseRelative(dx, dxCpu, 1e-5, `dx of ${JSON.stringify(c)}`);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it('compute a 1x1 stride-1 convolution reading x itself (no gathered copy)', async () => {
    const c: PatchCase = {
      n: 2,
      h: 5,
      w: 7,
      ci: 8,
      co: 12,
      kh: 1,
      kw: 1,
      stride: [1, 1],
      pad: 'valid',
      bias: true,
      relu: true,
      seed: 3,
    };
    const [y, dx] = await onPatches(c);
    const [yCpu, dxCpu] = await onCpu(c);
    expectCloseRelative(y, yCpu, 1e-5, 'y');
    expectCloseRelative(dx, dxCpu, 1e-5, 'dx');
  });

  it('decline what they cannot do, for the next kernel in line to take', async () => {
    await useBackend('wasm');
    const backend = asWasmBackend(tf.backend());
    const x = tf.ones([1, 6, 6, 4]);
    const filter = tf.ones([3, 3, 4, 6]); // 6 output channels: not a multiple of 4
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      [3, 3, 4, 6],
      1,
      1,
      'same',
    );
    expect(patchConv2D(backend, x, filter, info)).toBeNull();
    const dilated = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      [3, 3, 4, 8],
      1,
      2,
      'same',
    );
    const filter8 = tf.ones([3, 3, 4, 8]);
    const dy = tf.ones(dilated.outShape);
    expect(patchConv2D(backend, x, filter8, dilated)).toBeNull();
    expect(patchConv2DBackpropInput(backend, dy, filter8, dilated)).toBeNull();
    tf.dispose([x, filter, filter8, dy]);
  });

  it('leave nothing on the heap but their result', async () => {
    await useBackend('wasm');
    const backend = asWasmBackend(tf.backend());
    const c: PatchCase = {
      n: 2,
      h: 9,
      w: 9,
      ci: 3,
      co: 8,
      kh: 3,
      kw: 3,
      stride: [2, 2],
      pad: 'same',
      bias: false,
      relu: false,
      seed: 1,
    };
    const { x, filter, bias, dy, info } = tensors(c);
    const ids = tf.engine().backend.numDataIds();
    const y = patchConv2D(backend, x, filter, info)!;
    const dx = patchConv2DBackpropInput(backend, dy, filter, info)!;
    expect(tf.engine().backend.numDataIds()).toBe(ids + 2);
    backend.disposeData(y.dataId);
    backend.disposeData(dx.dataId);
    tf.dispose([x, filter, bias, dy]);
  });
});
