import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { assertFiniteWeights } from './finite_weights.js';

const spec = (
  name: string,
  shape: number[],
  dtype: tf.io.WeightsManifestEntry['dtype'] = 'float32',
  quantization?: tf.io.WeightsManifestEntry['quantization'],
) => ({ name, shape, dtype, ...(quantization && { quantization }) }) as tf.io.WeightsManifestEntry;
const problem = (specs: tf.io.WeightsManifestEntry[], data: ArrayBuffer) => {
  try {
    assertFiniteWeights(specs, data, 'm.json');
    return undefined;
  } catch (e) {
    return (e as { problem: string; message: string }).message;
  }
};

describe('assertFiniteWeights', () => {
  it('names the weight and element of the first NaN or Infinity, after other dtypes', () => {
    const ints = new Int32Array([-1, 2147483647]).buffer;
    const floats = new Float32Array([1, 2, Infinity]).buffer;
    const data = tf.io.concatenateArrayBuffers([new Uint8Array([1, 0, 1]).buffer, ints, floats]);
    const specs = [spec('b', [3], 'bool'), spec('i', [2], 'int32'), spec('f', [3])];
    expect(problem(specs, data)).toMatch(/weight "f" holds Infinity at element 2; pass allowNonFinite: true/);
    const fine = tf.io.concatenateArrayBuffers([
      new Uint8Array([1, 0, 1]).buffer,
      ints,
      new Float32Array([1, 2, 3.4e38]).buffer,
    ]);
    expect(problem(specs, fine)).toBeUndefined();
    expect(problem([spec('f', [2])], new Float32Array([0, NaN]).buffer)).toContain('NaN at element 1');
  });

  it('checks quantization parameters and float16 bit patterns', () => {
    expect(
      problem([spec('q', [2], 'float32', { dtype: 'uint8', scale: NaN, min: 0 })], new Uint8Array(2).buffer),
    ).toContain('quantization scale');
    expect(
      problem([spec('q', [2], 'float32', { dtype: 'uint8', scale: 0.1, min: 0 })], new Uint8Array([255, 0]).buffer),
    ).toBeUndefined();
    expect(
      problem([spec('h', [2], 'float32', { dtype: 'float16' })], new Uint16Array([0x3c00, 0x7c00]).buffer),
    ).toContain('float16 NaN or Infinity at element 1');
    expect(
      problem([spec('h', [2], 'float32', { dtype: 'float16' })], new Uint16Array([0x3c00, 0x7bff]).buffer),
    ).toBeUndefined();
  });
});
