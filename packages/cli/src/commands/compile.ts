import type * as tf from '@tensorflow/tfjs';
import { addProbabilities, logitsOf } from 'tfjs-skip-train';

/**
 * Makes a zoo model (logits out) ready for training here and returns the
 * model to train: its logits (`logitsOf`). `model` itself gets the Softmax
 * layer `probabilities` on top, so the model `train` saves predicts class
 * probabilities, and is compiled with `optimizer` and sparse categorical
 * cross-entropy (what Keras trains a probabilities model with), so
 * `model.save` stores the optimizer state and a loaded model can go on
 * training. The steps themselves run on the logits, with
 * `tfjs-skip-train`'s softmax cross-entropy.
 */
export function prepareForTraining(model: tf.Sequential, optimizer: tf.Optimizer): tf.LayersModel {
  addProbabilities(model);
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return logitsOf(model);
}
