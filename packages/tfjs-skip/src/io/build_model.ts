import * as tf from '@tensorflow/tfjs';
import { ModelFileError } from './model_file_error.js';

/**
 * Builds the model a validated topology describes, leaving no tensor behind
 * if TF.js fails half-way (tfjs 4.22's own loader leaves the variables of the
 * layers it had already built).
 *
 * `tf.models.modelFromJSON` runs its whole deserialization synchronously
 * before its first `await` when given no weights manifest, so the variables
 * and tensors it creates are exactly those that appear during that call: on
 * failure they are disposed, and nothing another caller created meanwhile is
 * touched. The engine internals this needs are read here and nowhere else.
 */
export async function buildModel(topology: tf.io.ModelJSON['modelTopology'], where: string): Promise<tf.LayersModel> {
  const engine = tf.engine();
  const variablesBefore = new Set(Object.keys(engine.state.registeredVariables));
  engine.startScope();
  let pending: Promise<tf.LayersModel>;
  let created: tf.Tensor[];
  try {
    pending = tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
  } finally {
    created = engine.state.activeScope.track.filter((t) => !t.isDisposed);
    engine.endScope(created);
  }
  const newVariables = Object.entries(engine.state.registeredVariables)
    .filter(([name]) => !variablesBefore.has(name))
    .map(([, v]) => v);
  try {
    return await pending;
  } catch (e) {
    for (const v of newVariables) if (!v.isDisposed) v.dispose();
    for (const t of created) if (!t.isDisposed) t.dispose();
    if (e instanceof ModelFileError) throw e;
    throw new ModelFileError('bad-config', `${where}: TF.js cannot build the model: ${e instanceof Error ? e.message : String(e)}`);
  }
}
