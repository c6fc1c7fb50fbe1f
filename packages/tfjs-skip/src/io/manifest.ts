import type * as tf from '@tensorflow/tfjs';
import { ModelFileError } from './model_file_error.js';

const BYTES_PER_ELEMENT: ReadonlyMap<string, number> = new Map([
  ['float32', 4],
  ['int32', 4],
  ['bool', 1],
  ['complex64', 8],
  ['uint8', 1],
  ['uint16', 2],
  ['float16', 2],
]);

/**
 * Refuses a weights-manifest path unless it is a plain relative path inside
 * the model's folder: no absolute path, `..`, backslash, NUL or URL scheme.
 */
export function assertSafeManifestPath(file: unknown, where: string): asserts file is string {
  const reason =
    typeof file !== 'string' || file.length === 0
      ? 'is not a non-empty string'
      : file.includes('\0')
        ? 'contains a NUL byte'
        : file.includes('\\')
          ? 'contains a backslash'
          : /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(file)
            ? 'has a URL scheme'
            : file.startsWith('/')
              ? 'is absolute'
              : file.split('/').some((part) => part === '..')
                ? 'contains ".."'
                : null;
  if (reason != null) {
    throw new ModelFileError('unsafe-path', `${where} lists the weights path ${JSON.stringify(file)}, which ${reason}; weight files must sit inside the model folder`);
  }
}

/** Bytes the weight specs describe, refusing shapes that are not shapes. */
export function expectedWeightBytes(specs: readonly tf.io.WeightsManifestEntry[], where: string): number {
  let total = 0;
  for (const spec of specs) {
    const shape: unknown = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ModelFileError('bad-weight-spec', `${where}: weight "${spec.name}" has shape ${JSON.stringify(shape)}; dimensions must be non-negative integers`);
    }
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES_PER_ELEMENT.get(dtype);
    if (bytes == null) {
      throw new ModelFileError('bad-weight-spec', `${where}: weight "${spec.name}" has dtype ${JSON.stringify(dtype)}, which this loader does not read`);
    }
    total += (shape as number[]).reduce((n, d) => n * d, 1) * bytes;
  }
  return total;
}
