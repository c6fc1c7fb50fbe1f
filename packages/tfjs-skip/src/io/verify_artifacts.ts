import * as tf from '@tensorflow/tfjs';
import { assignWeights } from './assign_weights.js';
import { buildFromTopology, disposeModel } from './build_model.js';
import { checkModelArtifacts } from './check_artifacts.js';
import { assertFiniteWeights } from './finite_weights.js';
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
 *    assigned only if their names and shapes are exactly the model's.
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
  const model = buildFromTopology(artifacts.modelTopology, where);
  try {
    assignWeights(model, specs, data, where);
    if (artifacts.userDefinedMetadata != null) model.setUserDefinedMetadata(artifacts.userDefinedMetadata);
    return model;
  } catch (e) {
    disposeModel(model);
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError('bad-config', `${where}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Runs every check of {@link buildVerifiedModel} and disposes the model it
 * built: what a `tf.io` handler calls before it returns artifacts, so that
 * `tf.loadLayersModel(handler)` only ever sees artifacts that load cleanly.
 * Returns the artifacts with their weight data joined into one buffer.
 */
export function verifyArtifacts(
  artifacts: tf.io.ModelArtifacts,
  options: LoadModelOptions,
  where: string,
): tf.io.ModelArtifacts {
  disposeModel(buildVerifiedModel(artifacts, options, where));
  return { ...artifacts, weightData: joinWeightData(artifacts) };
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
