import * as tf from '@tensorflow/tfjs';
import { storedWeightBytes } from './manifest.js';
import { ModelFileError } from './model_file_error.js';

const list = (names: readonly string[]) =>
  names
    .slice(0, 5)
    .map((n) => `"${n}"`)
    .join(', ') + (names.length > 5 ? `, ... (${names.length} in all)` : '');

/** One weight's value, as a tensor the caller may dispose: the `index`-th of the specs being assigned. */
export type WeightReader = (spec: tf.io.WeightsManifestEntry, index: number) => tf.Tensor;

/**
 * Checks that the manifest's weights are exactly the model's (same names,
 * same shapes and dtypes, none missing, none extra) and returns the model's variable of
 * each name. Weights of the `optimizer` group are not model weights and are
 * not matched. Nothing is read or written.
 */
export function matchWeights(
  model: tf.LayersModel,
  specs: readonly tf.io.WeightsManifestEntry[],
  where: string,
): Map<string, tf.LayerVariable> {
  const targets = new Map<string, tf.LayerVariable>();
  for (const weight of model.weights) {
    if (targets.has(weight.originalName)) {
      throw new ModelFileError(
        'weights-mismatch',
        `${where}: the model built from the config has two weights named "${weight.originalName}"`,
      );
    }
    targets.set(weight.originalName, weight);
  }
  const modelSpecs = specs.filter((s) => s.group !== 'optimizer');
  const extra = modelSpecs.filter((s) => !targets.has(s.name)).map((s) => s.name);
  const listed = new Set(modelSpecs.map((s) => s.name));
  const missing = [...targets.keys()].filter((name) => !listed.has(name));
  if (extra.length > 0 || missing.length > 0) {
    const parts = [
      extra.length > 0 && `lists weights the model does not have: ${list(extra)}`,
      missing.length > 0 && `lacks weights the model has: ${list(missing)}`,
    ];
    throw new ModelFileError(
      'weights-mismatch',
      `${where}: the weight manifest ${parts.filter(Boolean).join('; and it ')}`,
    );
  }
  for (const spec of modelSpecs) {
    const target = targets.get(spec.name)!;
    if (!tf.util.arraysEqual(target.shape as number[], spec.shape)) {
      throw new ModelFileError(
        'weights-mismatch',
        `${where}: weight "${spec.name}" has shape ${JSON.stringify(spec.shape)} in the manifest but ` +
          `${JSON.stringify(target.shape)} in the model`,
      );
    }
    if (spec.dtype !== target.dtype) {
      throw new ModelFileError(
        'weights-mismatch',
        `${where}: weight "${spec.name}" is ${spec.dtype} in the manifest but ${target.dtype} in the model`,
      );
    }
  }
  return targets;
}

/**
 * Checks the weights with {@link matchWeights}, and only then assigns them,
 * each read by `read` and written at once: a model is never half-loaded, and
 * a big model's load holds the model's weights and one weight being read,
 * not a second copy of all of them. As in TF.js, a weight's constraint is
 * applied to the value loaded. The tensors `read` returns are disposed.
 */
export function assignWeights(
  model: tf.LayersModel,
  specs: readonly tf.io.WeightsManifestEntry[],
  read: WeightReader,
  where: string,
): void {
  const targets = matchWeights(model, specs, where);
  specs.forEach((spec, index) => {
    if (spec.group === 'optimizer') return;
    // In a tidy: the read tensor is disposed (the variable keeps its data), and `write` applies the weight's
    // constraint and leaks its result.
    tf.tidy(() => {
      targets.get(spec.name)!.write(read(spec, index));
    });
  });
}

/**
 * The reader of weights stored one after another in `data` (a manifest's
 * weight data, checked to be as long as the specs describe).
 */
export function weightDataReader(specs: readonly tf.io.WeightsManifestEntry[], data: ArrayBuffer): WeightReader {
  const offsets: number[] = [];
  let offset = 0;
  for (const spec of specs) {
    offsets.push(offset);
    offset += storedWeightBytes(spec)!;
  }
  return (spec, index) => decodeWeight(spec, data, offsets[index], storedWeightBytes(spec)!);
}

/**
 * One weight's tensor from its `bytes` at `offset`. A float32 or int32 weight is copied once, straight into
 * the array that becomes the tensor's value (a view instead would tie the model to the caller's buffer);
 * others go through `tf.io.decodeWeights` (quantized, bool, ...), which copies its slice again.
 */
function decodeWeight(spec: tf.io.WeightsManifestEntry, data: ArrayBuffer, offset: number, bytes: number): tf.Tensor {
  if (spec.quantization === undefined && offset % 4 === 0) {
    if (spec.dtype === 'float32') return tf.tensor(new Float32Array(data, offset, bytes / 4).slice(), spec.shape);
    if (spec.dtype === 'int32') return tf.tensor(new Int32Array(data, offset, bytes / 4).slice(), spec.shape, 'int32');
  }
  return tf.io.decodeWeights(data.slice(offset, offset + bytes), [spec])[spec.name];
}
