import * as tf from '@tensorflow/tfjs';
import { assignWeights, matchWeights, weightDataReader, type WeightReader } from './assign_weights.js';
import { buildFromTopology, disposeModel } from './build_model.js';
import { checkModelArtifacts } from './check_artifacts.js';
import { assertFiniteWeight, assertFiniteWeights } from './finite_weights.js';
import { resolveLoadLimits, type LoadModelOptions } from './load_limits.js';
import { ModelFileError } from './model_file_error.js';

/**
 * The one implementation of every check tfjs-skip runs on a model it loads,
 * used by `loadModel` and by every `tf.io` handler this project exports
 * (`fileSystem`, the Keras handlers), so that whatever TF.js function a user
 * calls with our handler, a hostile file is refused with a `ModelFileError`:
 *
 * 1. from the JSON alone (`checkModelArtifacts`): depth, prototype-chain
 *    names, registered classes only, parameter caps, well-formed weight specs;
 * 2. the weight bytes: exactly as many as the specs describe, and finite
 *    unless `allowNonFinite` is set;
 * 3. the model is built (leak-free, initializers not run) and the weights are
 *    assigned only if their names, shapes and dtypes are exactly the model's.
 *
 * Returns the built model, weights assigned; on refusal nothing is left
 * behind.
 */
export function buildVerifiedModel(
  artifacts: tf.io.ModelArtifacts,
  options: LoadModelOptions,
  where: string,
): tf.LayersModel {
  const { specs, data } = verifyBytes(artifacts, options, where);
  return buildWithWeights(artifacts, specs, weightDataReader(specs, data), where);
}

/**
 * Every check of {@link buildVerifiedModel}, for a loader that reads each
 * float32 weight straight from its file instead of from one buffer of weight
 * data (the Keras loader): the JSON checks, then the model is built, and once
 * the specs match its weights, each weight's values are read by `read` (a
 * fresh array of the spec's element count, which becomes the tensor's value
 * without a copy), checked (length, finite values unless `allowNonFinite`)
 * and assigned before the next is read. `artifacts.weightData` is not used.
 */
export function buildModelReadingWeights(
  artifacts: tf.io.ModelArtifacts,
  options: LoadModelOptions,
  where: string,
  read: (spec: tf.io.WeightsManifestEntry, index: number) => Float32Array,
): tf.LayersModel {
  checkModelArtifacts(artifacts, resolveLoadLimits(options), where);
  const specs = artifacts.weightSpecs ?? [];
  return buildWithWeights(
    artifacts,
    specs,
    (spec, index) => {
      const values = read(spec, index);
      const count = spec.shape.reduce((n, d) => n * d, 1);
      if (spec.dtype !== 'float32' || values.length !== count)
        throw new ModelFileError(
          'weights-size',
          `${where}: weight "${spec.name}" read as ${values.length} values, but its ${spec.dtype} spec ` +
            `${JSON.stringify(spec.shape)} holds ${count} float32 values`,
        );
      if (options.allowNonFinite !== true)
        assertFiniteWeight(spec, values.buffer as ArrayBuffer, values.byteOffset, where);
      return tf.tensor(values, spec.shape);
    },
    where,
  );
}

/** Builds the model of `artifacts` and assigns the weights `read` returns; on failure disposes it. */
function buildWithWeights(
  artifacts: tf.io.ModelArtifacts,
  specs: readonly tf.io.WeightsManifestEntry[],
  read: WeightReader,
  where: string,
): tf.LayersModel {
  return withBuiltModel(artifacts.modelTopology, where, (model) => {
    assignWeights(model, specs, read, where);
    if (artifacts.userDefinedMetadata != null) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
    return model;
  });
}

/**
 * Runs every check of {@link buildVerifiedModel} but the assignment itself:
 * the model is built, its weights matched by name, shape and dtype against
 * the specs, and disposed (the bytes the assignment would copy were already
 * checked, so no weight is copied). What a `tf.io` handler calls before it
 * returns artifacts, so that `tf.loadLayersModel(handler)` only ever sees
 * artifacts that load cleanly. Returns the artifacts with their weight data
 * joined into one buffer.
 */
export function verifyArtifacts(
  artifacts: tf.io.ModelArtifacts,
  options: LoadModelOptions,
  where: string,
): tf.io.ModelArtifacts {
  const { specs, data } = verifyBytes(artifacts, options, where);
  disposeModel(withBuiltModel(artifacts.modelTopology, where, (model) => (matchWeights(model, specs, where), model)));
  return { ...artifacts, weightData: data };
}

/** Builds the model `topology` describes and runs `use` on it; if `use` throws, the model is disposed. */
function withBuiltModel(
  topology: tf.io.ModelArtifacts['modelTopology'],
  where: string,
  use: (model: tf.LayersModel) => tf.LayersModel,
): tf.LayersModel {
  const model = buildFromTopology(topology, where);
  try {
    return use(model);
  } catch (e) {
    disposeModel(model);
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError('bad-config', `${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function verifyBytes(artifacts: tf.io.ModelArtifacts, options: LoadModelOptions, where: string) {
  const limits = resolveLoadLimits(options);
  const expectedBytes = checkModelArtifacts(artifacts, limits, where);
  const specs = artifacts.weightSpecs ?? [];
  const data = joinWeightData(artifacts);
  if (data.byteLength !== expectedBytes) {
    throw new ModelFileError(
      'weights-size',
      `${where}: the manifest describes ${expectedBytes} bytes of weights, but the weight data holds ` +
        `${data.byteLength}`,
    );
  }
  if (options.allowNonFinite !== true) assertFiniteWeights(specs, data, where);
  return { specs, data };
}

function joinWeightData(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  return artifacts.weightData == null ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
}
