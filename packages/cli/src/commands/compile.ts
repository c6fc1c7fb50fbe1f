import * as tf from '@tensorflow/tfjs';

/**
 * Makes a zoo model (logits out) ready for training here: a Softmax layer on
 * top, so the saved model predicts class probabilities, and `compile` with
 * `optimizer` and sparse categorical cross-entropy, so `model.save` can
 * store the optimizer state and a loaded model can go on training.
 */
export function prepareForTraining(model: tf.Sequential, optimizer: tf.Optimizer): tf.Optimizer {
  model.add(tf.layers.softmax({ name: 'probabilities' }));
  model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return optimizer;
}
