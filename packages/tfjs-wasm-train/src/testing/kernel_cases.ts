import * as tf from '@tensorflow/tfjs';
import { randomValues, seededRandom, useBackend } from './conv_grads.js';

/** Test-only: run one gradient kernel directly on a backend, with the same seeded inputs everywhere. */

export type Pad = 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;

export interface KernelCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
}

/** Kernel sizes 1, 3, 5, 7 x strides 1, 2, 3 x 'same', 'valid', numeric; odd sizes, batch 1 and 2, in != out. */
export function gridCases(): KernelCase[] {
  const cases: KernelCase[] = [];
  for (const k of [1, 3, 5, 7]) {
    for (const s of [1, 2, 3]) {
      for (const pad of ['same', 'valid', Math.floor(k / 2)] as Pad[]) {
        const batch = (k + s) % 2 === 0 ? 1 : 2;
        cases.push({ x: [batch, 11, 9, 3], filter: [k, k, 3, 5], strides: [s, s], pad });
      }
    }
  }
  cases.push({ x: [1, 13, 10, 4], filter: [3, 5, 4, 2], strides: [2, 3], pad: 'same' });
  cases.push({ x: [2, 8, 8, 6], filter: [2, 2, 6, 6], strides: [2, 2], pad: 'valid' });
  cases.push({
    x: [1, 9, 10, 3],
    filter: [3, 3, 3, 4],
    strides: [1, 1],
    pad: [
      [0, 0],
      [2, 0],
      [1, 3],
      [0, 0],
    ],
  });
  // Layers that widen the channels at stride 1 (the filter gradient packs x instead of dy).
  for (const pad of [
    'valid',
    'same',
    [
      [0, 0],
      [2, 0],
      [1, 2],
      [0, 0],
    ],
  ] as Pad[]) {
    cases.push({ x: [2, 9, 11, 16], filter: [3, 5, 16, 32], strides: [1, 1], pad });
  }
  cases.push({ x: [1, 8, 8, 20], filter: [1, 1, 20, 40], strides: [1, 1], pad: 'valid' });
  cases.push({
    x: [2, 11, 8, 2],
    filter: [5, 3, 2, 3],
    strides: [2, 3],
    pad: [
      [0, 0],
      [0, 4],
      [2, 1],
      [0, 0],
    ],
  });
  return cases;
}

export function describeCase(c: KernelCase): string {
  return `x [${c.x}] filter [${c.filter}] strides [${c.strides}] pad ${JSON.stringify(c.pad)}`;
}

function convOutShape(c: KernelCase): number[] {
  return tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad).outShape;
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

export async function runGradKernel(
  backend: string,
  kernelName: 'Conv2DBackpropFilter' | 'Conv2DBackpropInput',
  c: KernelCase,
  seed: number,
): Promise<Float32Array> {
  await useBackend(backend);
  const random = seededRandom(seed);
  const outShape = convOutShape(c);
  const dy = tf.tensor(randomValues(random, size(outShape)), outShape);
  const attrs = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC' };
  const other =
    kernelName === 'Conv2DBackpropFilter'
      ? tf.tensor(randomValues(random, size(c.x)), c.x)
      : tf.tensor(randomValues(random, size(c.filter)), c.filter);
  const result = tf
    .engine()
    .runKernel<tf.Tensor>(
      kernelName,
      kernelName === 'Conv2DBackpropFilter' ? { x: other, dy } : { dy, filter: other },
      kernelName === 'Conv2DBackpropFilter' ? { ...attrs, filterShape: c.filter } : { ...attrs, inputShape: c.x },
    );
  const values = (await result.data()) as Float32Array;
  tf.dispose([dy, other, result]);
  return values;
}
