import type * as tf from '@tensorflow/tfjs';
import { storedWeightBytes } from './manifest.js';
import { ModelFileError } from './model_file_error.js';

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
    assertFiniteWeight(spec, data, offset, where);
    offset += storedWeightBytes(spec) ?? 0;
  }
}

/** Refuses one weight holding NaN or ±Infinity, its stored bytes at byte `offset` of `data` (as above). */
export function assertFiniteWeight(
  spec: tf.io.WeightsManifestEntry,
  data: ArrayBuffer,
  offset: number,
  where: string,
): void {
  const bad = firstNonFinite(
    spec,
    data,
    offset,
    spec.shape.reduce((n, d) => n * d, 1),
  );
  if (bad != null) {
    throw new ModelFileError(
      'non-finite',
      `${where}: weight "${spec.name}" holds ${bad}; ` +
        `pass allowNonFinite: true to load weights that are not finite numbers`,
    );
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
      const halves = view(Uint16Array, data, offset, count);
      const i = halves.findIndex((h) => (h & 0x7c00) === 0x7c00);
      return i < 0 ? null : `a float16 NaN or Infinity at element ${i}`;
    }
    return null;
  }
  if (spec.dtype !== 'float32' && spec.dtype !== 'complex64') return null;
  const floats = view(Float32Array, data, offset, count * (spec.dtype === 'complex64' ? 2 : 1));
  for (let i = 0; i < floats.length; i++) {
    if (!Number.isFinite(floats[i])) return `${floats[i]} at element ${i}`;
  }
  return null;
}

/**
 * `length` values at byte `offset` of `data`: a view, not a copy (a copy per weight is garbage the size of
 * the weights, which raises the peak memory of a big load), unless `offset` is not aligned to the type.
 */
function view<T extends Float32Array | Uint16Array>(
  type: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
  data: ArrayBuffer,
  offset: number,
  length: number,
): T {
  const aligned = offset % type.BYTES_PER_ELEMENT === 0;
  const bytes = length * type.BYTES_PER_ELEMENT;
  return aligned ? new type(data, offset, length) : new type(data.slice(offset, offset + bytes), 0, length);
}
