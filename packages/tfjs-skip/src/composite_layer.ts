import * as tf from '@tensorflow/tfjs';
import { ConfigError } from './errors.js';

type Layer = tf.layers.Layer;

/** TF.js's `LayerArgs` (`name`, `inputShape`, `trainable`, `dtype`, ...). */
export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

/** What TF.js passes a layer's `call` beside its inputs (`training`, ...). */
export type Kwargs = Parameters<tf.layers.Layer['call']>[1];

/**
 * The one input rule of every tfjs-skip layer: exactly one tensor. TF.js
 * hands `call` a tensor or a list; a list of one is unwrapped, a longer list
 * is refused (a silent `inputs[0]` would drop the others).
 */
export function onlyInput(inputs: tf.Tensor | tf.Tensor[], layer: Layer): tf.Tensor {
  if (!Array.isArray(inputs)) return inputs;
  if (inputs.length !== 1) {
    throw new ConfigError(
      `${layer.getClassName()} "${layer.name}" takes one input tensor, but received ${inputs.length}`,
    );
  }
  return inputs[0];
}

/**
 * A layer that owns other layers (tfjs-layers' `Wrapper` generalised to
 * several inner layers): `SkipConnection` and `Shortcut`. Subclasses say
 * which layers they own (`innerLayers`, in weight order); this base makes
 * those layers' weights its own, in TF.js order (trainable then
 * non-trainable, inner layers in order, depth first), freezes them all when
 * `trainable` is false, forwards fast weight initialisation (also to inner
 * layers created later, in `build`: read `fastWeightInit`), and disposes
 * them with the layer. `training` reaches inner layers through `runPath`.
 */
export abstract class CompositeLayer extends tf.layers.Layer {
  /** Whether weights start as zeros (a model being loaded); for inner layers created in `build`. */
  protected fastWeightInit = false;

  /**
   * The layers this layer owns, in weight order; may be empty (and is undefined while `super()` runs).
   * `walkLayers` reads it, so whatever walks a layer tree finds them.
   */
  abstract get innerLayers(): readonly Layer[];

  private get owned(): readonly Layer[] {
    return this.innerLayers ?? [];
  }

  /** The inner layers' trainable weights, in order (none when `trainable` is false). */
  override get trainableWeights(): tf.LayerVariable[] {
    return this.trainable ? this.owned.flatMap((l) => l.trainableWeights) : [];
  }

  /** Refused: the weights are the inner layers'; set them with `setWeights`. */
  override set trainableWeights(_weights: tf.LayerVariable[]) {
    throw this.assignmentError();
  }

  /**
   * The inner layers' non-trainable weights (BatchNorm statistics), after their trainable ones when `trainable` is
   * false: a frozen composite reports its inner trainable weights as non-trainable, as a frozen model does.
   */
  override get nonTrainableWeights(): tf.LayerVariable[] {
    const layers = this.owned;
    const frozen = this.trainable ? [] : layers.flatMap((l) => l.trainableWeights);
    return [...frozen, ...layers.flatMap((l) => l.nonTrainableWeights)];
  }

  /** Refused: the weights are the inner layers'; set them with `setWeights`. */
  override set nonTrainableWeights(_weights: tf.LayerVariable[]) {
    throw this.assignmentError();
  }

  override setFastWeightInitDuringBuild(value: boolean): void {
    super.setFastWeightInitDuringBuild(value);
    this.fastWeightInit = value;
    this.owned.forEach((l) => l.setFastWeightInitDuringBuild(value));
  }

  /** Releases the inner layers once this layer's last use is disposed. */
  protected override disposeWeights(): number {
    let disposed = 0;
    for (const layer of this.owned) {
      let result = layer.dispose();
      disposed += result.numDisposedVariables;
      // A model also holds a reference from its own construction: release it
      // too, as tfjs's Container does for the models nested in it.
      if (layer instanceof tf.LayersModel && result.refCountAfterDispose > 0) {
        result = layer.dispose();
        disposed += result.numDisposedVariables;
      }
    }
    return disposed;
  }

  private assignmentError(): ConfigError {
    return new ConfigError(
      `${this.getClassName()} "${this.name}" takes its weights from the layers it owns; they cannot be assigned`,
    );
  }
}
