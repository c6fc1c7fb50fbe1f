import type * as tf from '@tensorflow/tfjs';
import { ModelFileError } from './model_file_error.js';

const STORED_BYTES: Readonly<Record<string, number>> = {
  float32: 4,
  int32: 4,
  bool: 1,
  complex64: 8,
  uint8: 1,
  uint16: 2,
  float16: 2,
};

/**
 * Refuses weights holding NaN or ±Infinity, reading the raw bytes before any
 * tensor exists. `specs` must already be validated (`expectedWeightBytes`)
 * and `data` must be exactly as long as they describe. Float32 and complex64
 * values are scanned; quantized weights are refused if their scale or min is
 * not finite, and float16 ones if a value has an all-ones exponent.
 */
export function assertFiniteWeights(
  specs: readonly tf.io.WeightsManifestEntry[],
  data: ArrayBuffer,
  where: string,
): void {
  let offset = 0;
  for (const spec of specs) {
    const stored = spec.quantization?.dtype ?? spec.dtype;
    const count = spec.shape.reduce((n, d) => n * d, 1);
    const bytes = count * (STORED_BYTES[stored] ?? 0);
    const bad = firstNonFinite(spec, data, offset, count);
    if (bad != null) {
      throw new ModelFileError(
        'non-finite',
        `${where}: weight "${spec.name}" holds ${bad}; ` +
          `pass allowNonFinite: true to load weights that are not finite numbers`,
      );
    }
    offset += bytes;
  }
}

function firstNonFinite(
  spec: tf.io.WeightsManifestEntry,
  data: ArrayBuffer,
  offset: number,
  count: number,
): string | null {
  const q = spec.quantization;
  if (q != null) {
    for (const key of ['scale', 'min'] as const) {
      const v = q[key];
      if (v !== undefined && !Number.isFinite(v)) return `a quantization ${key} of ${v}`;
    }
    if (q.dtype === 'float16') {
      const halves = new Uint16Array(data.slice(offset, offset + count * 2));
      const i = halves.findIndex((h) => (h & 0x7c00) === 0x7c00);
      return i < 0 ? null : `a float16 NaN or Infinity at element ${i}`;
    }
    return null;
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'complex64') return null;
  const floats = new Float32Array(data.slice(offset, offset + count * (spec.dtype === 'complex64' ? 8 : 4)));
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i])) return `${floats[i]} at element ${i}`;
  }
  return null;
}
