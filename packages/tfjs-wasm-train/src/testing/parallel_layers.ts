import * as tf from '@tensorflow/tfjs';

/**
 * Custom layers for the data-parallel tests (excluded from the build). A
 * worker must import this module to rebuild a model that uses them, which is
 * what `imports` is for.
 */

/** Multiplies its input by a trainable per-channel scale (initially 1). */
export class TestOnlyScale extends tf.layers.Layer {
  static className = 'TestOnlyScale';
  private scale: tf.LayerVariable | undefined;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as (number | null)[];
    this.scale = this.addWeight('scale', [shape[shape.length - 1]!], 'float32', tf.initializers.ones());
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(Array.isArray(inputs) ? inputs[0] : inputs, this.scale!.read()));
  }
}
tf.serialization.registerClass(TestOnlyScale);

/** The identity in inference; throws, before computing anything, when called in training mode. */
export class TestOnlyFailsInTraining extends tf.layers.Layer {
  static className = 'TestOnlyFailsInTraining';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    if (kwargs.training === true) throw new Error('TestOnlyFailsInTraining does not train.');
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }
}
tf.serialization.registerClass(TestOnlyFailsInTraining);

/** What a worker must import to know these layers. */
export const parallelLayersModule: string = import.meta.url;
