import type * as tf from '@tensorflow/tfjs';
import { toOnnx, type ToOnnxOptions } from '../onnx/to_onnx.js';
import { writeAtomic } from './write_atomic.js';

/**
 * Writes `model` as an ONNX file at `path` ({@link toOnnx}), atomically: a
 * failure leaves what was there before. Resolves to the number of bytes written.
 *
 * @example
 * ```ts
 * import { mkdtempSync, statSync } from 'node:fs';
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { mlp } from 'tfjs-skip';
 * import { saveOnnx } from 'tfjs-skip/node';
 *
 * const path = join(mkdtempSync(join(tmpdir(), 'onnx-')), 'mlp.onnx');
 * const bytes = await saveOnnx(mlp({ depth: 4, width: 8, inputShape: [2, 2, 1], classes: 3 }), path);
 * statSync(path).size === bytes; // => true
 * ```
 */
export async function saveOnnx(model: tf.LayersModel, path: string, options: ToOnnxOptions = {}): Promise<number> {
  const bytes = await toOnnx(model, options);
  await writeAtomic(path, bytes);
  return bytes.length;
}
