import * as tf from '@tensorflow/tfjs';
import { registeredClass } from './config_names.js';
import { ModelFileError } from './model_file_error.js';
import { pythonicToTs } from './pythonic_config.js';

type ModelFromConfig = (
  cls: unknown,
  config: unknown,
  customObjects: object,
  fastWeightInit: boolean,
) => tf.LayersModel;

/**
 * Builds the model a checked topology describes, leaving no tensor behind
 * if TF.js fails half-way (tfjs 4.22's own loader leaves the variables of the
 * layers it had already built).
 *
 * It calls the model class's `fromConfig` synchronously, as TF.js's
 * `deserialize` does, with fast weight initialisation on: every weight starts
 * as zeros instead of running the config's initializers, which the loaded
 * weights overwrite anyway and which a hostile config can make hang
 * (`VarianceScaling` with a non-numeric scale and the normal distribution
 * samples a truncated normal of NaN spread forever). Being synchronous,
 * the variables and tensors created during the call are exactly this
 * build's: on failure they are disposed, and nothing another caller created
 * is touched. The engine internals this
 * needs are read here and nowhere else.
 */
export function buildFromTopology(topology: unknown, where: string): tf.LayersModel {
  const record = topology as Record<string, unknown>;
  const root = pythonicToTs(record['model_config'] ?? record['modelConfig'] ?? topology) as {
    className: string;
    config: unknown;
  };
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as unknown as Record<
    string,
    [unknown, ModelFromConfig]
  >;
  if (registeredClass(root.className) === undefined) {
    throw new ModelFileError(
      'unknown-class',
      `${where}: the model class ${JSON.stringify(root.className)} is not registered`,
    );
  }
  const [cls, fromConfig] = registry[root.className];
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.state.registeredVariables));
  engine.startScope();
  let model: tf.LayersModel;
  try {
    model = fromConfig(cls, root.config, {}, true);
  } catch (e) {
    engine.endScope(); // disposes the tensors this build created
    for (const [name, v] of Object.entries(engine.state.registeredVariables))
      if (!variablesBefore.has(name)) v.dispose();
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError(
      'bad-config',
      `${where}: TF.js cannot build the model: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  // Success releases nothing: the tensors the build made move to the caller.
  engine.endScope(engine.state.activeScope.track.filter((t) => !t.isDisposed));
  return model;
}

/**
 * Disposes `model` and every weight tfjs 4.22's `dispose` leaves behind: a
 * nested model called more than once keeps its variables (its reference
 * count never reaches 0).
 */
export function disposeModel(model: tf.LayersModel): void {
  const weights = model.weights;
  model.dispose();
  const registered = tf.engine().state.registeredVariables;
  for (const weight of weights) if (Object.prototype.hasOwnProperty.call(registered, weight.name)) weight.dispose();
}
