import * as tf from '@tensorflow/tfjs';
import type { LoadModelOptions } from './load_limits.js';
import { ModelFileError } from './model_file_error.js';
import { buildVerifiedModel } from './verify_artifacts.js';

export type { LoadModelOptions } from './load_limits.js';

/**
 * Loads a layers model from untrusted files, refusing anything unsafe with a
 * `ModelFileError` whose `problem` names the kind of failure, and leaving no
 * tensor behind when it refuses.
 *
 * `source` is a `tf.io` handler (`fileSystem(dir)` in Node, `tf.io.http`,
 * `indexeddb://` handlers, ...) or artifacts already in memory. Everything
 * that can be checked from the JSON is checked before any weight is read or
 * anything is built (see `checkModelArtifacts`), then the weight bytes are
 * checked (exact length, finite values), then the model is built (disposed
 * again if building fails), and the weights are assigned only once their
 * names and shapes match the model's exactly. `trainingConfig` is not
 * applied: compile the model yourself. Works in the browser: no Node imports.
 * A handler of this package that builds the model itself (`kerasFile`,
 * `kerasBytes`: see `withModelBuilder`) is asked to, with `options`.
 *
 * Usage (in memory; `loadModelFromDir` of `tfjs-skip/node` has a runnable example):
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { loadModel, skipConnection, ModelFileError } from 'tfjs-skip';
 *
 * const model = tf.sequential({
 *   layers: [skipConnection({ inputShape: [4], mainPath: [tf.layers.dense({ units: 4 })] })],
 * });
 * let saved!: tf.io.ModelArtifacts;
 * await model.save(
 *   tf.io.withSaveHandler(async (a) => ((saved = a), { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) })),
 * );
 * (await loadModel(saved)).countParams(); // => 20
 *
 * const bad = { ...saved, weightData: new Float32Array(20).fill(NaN).buffer };
 * const error = await loadModel(bad).catch((e: ModelFileError) => e);
 * (error as ModelFileError).problem; // => 'non-finite'
 * ```
 */
export async function loadModel(
  source: tf.io.IOHandler | tf.io.ModelArtifacts,
  options: LoadModelOptions = {},
): Promise<tf.LayersModel> {
  const where = describeSource(source);
  const builder = isHandler(source) ? modelBuilders.get(source) : undefined;
  if (builder !== undefined) return builder(options);
  const artifacts = isHandler(source) ? await loadArtifacts(source, where) : source;
  return buildVerifiedModel(artifacts, options, where);
}

/**
 * How a handler of this package builds the verified model itself, applying
 * the limits of `options` (`loadModel`'s) as well as its own.
 */
export type ModelBuilder = (options: LoadModelOptions) => Promise<tf.LayersModel>;

const modelBuilders = new WeakMap<tf.io.IOHandler, ModelBuilder>();

/**
 * Lets `loadModel(handler)` call `build` instead of `handler.load()`: a
 * handler whose `load` verifies its artifacts by building the model (the
 * Keras handlers) would otherwise have the model built twice, once to verify
 * and once by `loadModel`, and would hold its file's bytes, a buffer of
 * weight data and a model at once. `build` must run every check `load` and
 * `buildVerifiedModel` run. Returns `handler`.
 */
export function withModelBuilder<H extends tf.io.IOHandler>(handler: H, build: ModelBuilder): H {
  modelBuilders.set(handler, build);
  return handler;
}

function isHandler(source: unknown): source is tf.io.IOHandler {
  return source != null && typeof (source as tf.io.IOHandler).load === 'function';
}

async function loadArtifacts(handler: tf.io.IOHandler, where: string): Promise<tf.io.ModelArtifacts> {
  const artifacts = await handler.load!();
  if (artifacts == null || typeof artifacts !== 'object') {
    throw new ModelFileError(
      'bad-artifacts',
      `${where}: the handler returned ${String(artifacts)} instead of model artifacts`,
    );
  }
  return artifacts;
}

/** The model's path when the handler says it (as `fileSystem` does), for messages. */
function describeSource(source: unknown): string {
  const path = (source as { modelPath?: unknown } | null)?.modelPath;
  return typeof path === 'string' ? path : isHandler(source) ? 'the loaded model' : 'the model artifacts';
}
