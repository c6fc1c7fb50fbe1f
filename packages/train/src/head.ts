import * as tf from '@tensorflow/tfjs';

/**
 * The name of the Softmax layer on top of every model `tfjs-skip train`
 * saves. The zoo's models output logits and train on them; the saved model
 * predicts class probabilities, as Keras applications do with their default
 * `classifier_activation='softmax'`, so `predict` answers without knowing
 * how it was trained.
 */
export const PROBABILITIES = 'probabilities';

/** Puts the Softmax layer {@link PROBABILITIES} on top of a logits Sequential, in place. */
export function addProbabilities(model: tf.Sequential): void {
  model.add(tf.layers.softmax({ name: PROBABILITIES }));
  // A Sequential that has predicted once keeps its inner model until it is built again (or compiled).
  model.build();
}

/**
 * The logits under a model's {@link PROBABILITIES} head: a model sharing its
 * layers and weights that stops where the Softmax begins, the one to train
 * (a step on it updates both). A model whose output is not that head is
 * returned as it is. Dispose the model it came from, never the view: the
 * view's layers are that model's.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { addProbabilities, logitsOf } from 'tfjs-skip-train';
 * const model = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
 * addProbabilities(model);
 * model.layers.map((l) => l.name).at(-1); // => 'probabilities'
 * logitsOf(model).layers.map((l) => l.getClassName()); // => ['InputLayer', 'Dense']
 * ```
 */
export function logitsOf(model: tf.LayersModel): tf.LayersModel {
  if (!endsInProbabilities(model)) return model;
  const head = model.layers.at(-1) as tf.layers.Layer;
  return tf.model({ inputs: model.inputs, outputs: head.input as tf.SymbolicTensor, name: `${model.name}_logits` });
}

/**
 * Refuses a model that outputs the {@link PROBABILITIES} head where logits
 * are needed: the loss would take softmax of the probabilities.
 */
export function requireLogits(model: tf.LayersModel, what: string): void {
  if (endsInProbabilities(model))
    throw new TypeError(
      `${what} needs a model that outputs logits, but model "${model.name}" ends in the Softmax layer ` +
        `"${PROBABILITIES}"; pass logitsOf(model), which shares its weights`,
    );
}

function endsInProbabilities(model: tf.LayersModel): boolean {
  const head = model.layers.at(-1);
  return head?.name === PROBABILITIES && head.getClassName() === 'Softmax';
}
