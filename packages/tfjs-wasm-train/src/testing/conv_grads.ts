import * as tf from '@tensorflow/tfjs';
import { expect } from 'vitest';

/** Test-only helpers (excluded from the build). */

/** A small seeded generator (mulberry32): the same shapes and values on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Selects a backend, failing loudly if it cannot start (tf.setBackend only returns false). */
export async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name)) || tf.getBackend() !== name) {
    throw new Error(`Backend '${name}' did not start; tf.getBackend() is '${tf.getBackend()}'.`);
  }
}

export function randomValues(random: () => number, size: number): Float32Array {
  return Float32Array.from({ length: size }, () => random() * 2 - 1);
}

export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | tf.backend_util.ExplicitPadding;
}

/**
 * Input and filter gradients of sum(conv2d(x, w) * r), asked for together
 * with `tf.grads`, on the given backend. Leaves the backend selected.
 */
export async function convGrads(backend: string, c: ConvCase, seed: number): Promise<[Float32Array, Float32Array]> {
  await useBackend(backend);
  const random = seededRandom(seed);
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const x = tf.tensor4d(randomValues(random, size(c.x)), c.x);
  const w = tf.tensor4d(randomValues(random, size(c.filter)), c.filter);
  const outShape = tf.conv2d(x, w, c.strides, c.pad).shape;
  const r = tf.tensor(randomValues(random, size(outShape)), outShape);
  const f = (a: tf.Tensor, b: tf.Tensor) =>
    tf
      .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad)
      .mul(r)
      .sum();
  const [dx, dw] = tf.grads(f)([x, w]) as [tf.Tensor, tf.Tensor];
  const result: [Float32Array, Float32Array] = [(await dx.data()) as Float32Array, (await dw.data()) as Float32Array];
  tf.dispose([x, w, r, dx, dw]);
  return result;
}

/** Every element within `rtol` times the largest |expected| (the fixtures' tolerance rule). */
export function expectCloseRelative(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol: number,
  what = '',
): void {
  expect(actual.length, `${what}: length`).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]));
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  }
  expect(worst, `${what}: max |difference| ${worst} against max |expected| ${scale}`).toBeLessThanOrEqual(
    rtol * Math.max(scale, 1e-12),
  );
}

/** `tf.grads` for input and filter together, through the engine and tape: wasm's within `rtol` of cpu's. */
export async function expectGradsMatchCpu(c: ConvCase, seed: number, rtol: number): Promise<void> {
  const [dxCpu, dwCpu] = await convGrads('cpu', c, seed);
  const [dxWasm, dwWasm] = await convGrads('wasm', c, seed);
  const what = `x [${c.x}] filter [${c.filter}] strides ${JSON.stringify(c.strides)} pad ${JSON.stringify(c.pad)}`;
  expectCloseRelative(dxWasm, dxCpu, rtol, `dx of ${what}`);
  expectCloseRelative(dwWasm, dwCpu, rtol, `dw of ${what}`);
}
