import type * as tf from '@tensorflow/tfjs';
import { isPrototypeName } from './config_names.js';
import { DEFAULT_LOAD_LIMITS, RAISE_MAX_PARAMETERS, type LoadLimits } from './load_limits.js';
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
 * Bytes one weight takes in the weight data: its element count times the size
 * of the stored dtype (the quantization's, if any). `undefined` for a dtype
 * this loader does not read. Specs must be checked by {@link expectedWeightBytes}.
 */
export function storedWeightBytes(spec: tf.io.WeightsManifestEntry): number | undefined {
  const bytes = BYTES_PER_ELEMENT.get(spec.quantization?.dtype ?? spec.dtype);
  return bytes === undefined ? undefined : spec.shape.reduce((n, d) => n * d, 1) * bytes;
}

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
    const shown =
      typeof file === 'string' ? JSON.stringify(file) : `of type ${Array.isArray(file) ? 'array' : typeof file}`;
    throw new ModelFileError(
      'unsafe-path',
      `${where} lists the weights path ${shown}, which ${reason}; weight files must sit inside the model folder`,
    );
  }
}

/**
 * Bytes the weight specs describe, refusing, before anything is read or
 * allocated: shapes that are not lists of non-negative integers, ranks over
 * `maxWeightRank`, more than `maxParameters` elements in all, dtypes this
 * loader does not read, and names that are missing, duplicated or would be
 * looked up on `Object.prototype`.
 */
export function expectedWeightBytes(
  specs: readonly tf.io.WeightsManifestEntry[],
  where: string,
  limits: LoadLimits = {},
): number {
  const maxRank = limits.maxWeightRank ?? DEFAULT_LOAD_LIMITS.maxWeightRank;
  const maxElements = limits.maxParameters ?? DEFAULT_LOAD_LIMITS.maxParameters;
  const names = new Set<string>();
  let total = 0;
  let elements = 0;
  for (const spec of specs) {
    const name: unknown = spec?.name;
    if (typeof name !== 'string' || isPrototypeName(name)) {
      throw new ModelFileError(
        typeof name === 'string' ? 'prototype-key' : 'bad-weight-spec',
        `${where}: a weight is named ${JSON.stringify(name)}; weight names must be strings that are not ` +
          `Object.prototype members`,
      );
    }
    if (names.has(name))
      throw new ModelFileError('weights-mismatch', `${where}: the weight "${name}" is listed twice in the manifest`);
    names.add(name);
    const shape: unknown = spec.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new ModelFileError(
        'bad-weight-spec',
        `${where}: weight "${name}" has shape ${JSON.stringify(shape)?.slice(0, 200)}; dimensions must be ` +
          `non-negative integers`,
      );
    }
    if (shape.length > maxRank) {
      throw new ModelFileError(
        'bad-weight-spec',
        `${where}: weight "${name}" has rank ${shape.length}, over the limit of ${maxRank} (maxWeightRank)`,
      );
    }
    const dtype = spec.quantization?.dtype ?? spec.dtype;
    const bytes = BYTES_PER_ELEMENT.get(dtype);
    if (bytes == null) {
      throw new ModelFileError(
        'bad-weight-spec',
        `${where}: weight "${name}" has dtype ${JSON.stringify(dtype)}, which this loader does not read`,
      );
    }
    // Multiplying one dimension at a time stops before the count can overflow.
    let count = 1;
    for (const d of shape as number[]) {
      count *= d;
      if (elements + count > maxElements && d > 0 && !shape.includes(0)) {
        throw new ModelFileError(
          'too-many-params',
          `${where}: weight "${name}" of shape ${JSON.stringify(shape)} takes the weights over the limit of ` +
            `${maxElements} elements (maxParameters): ${RAISE_MAX_PARAMETERS}`,
        );
      }
    }
    elements += count;
    total += count * bytes;
  }
  return total;
}
