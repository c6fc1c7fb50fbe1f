import * as tf from '@tensorflow/tfjs';
import { onlyInput, type LayerArgs } from '../../composite_layer.js';
import { ConfigError } from '../../errors.js';
import { exactlyOneShape, formatShape, type Shape } from '../../shapes.js';

/** Keras's `backend.epsilon()`: the floor of the standard deviation Normalization divides by. */
const EPSILON = 1e-7;

export interface NormalizationArgs extends LayerArgs {
  /** The axes keeping their own mean and variance (default `-1`, the channels); `null` or `[]`: one for all. */
  axis?: number | number[] | null;
  /**
   * A fixed mean (a number, or one per kept position), with `variance`. Without both, they are weights set by
   * `adapt` or loaded.
   */
  mean?: number | number[] | null;
  /** A fixed variance, the shape of `mean`. */
  variance?: number | number[] | null;
  /** Undo the normalization instead: `mean + x * std` (default false). */
  invert?: boolean;
}

/**
 * Keras 3's preprocessing `Normalization` (`keras/src/layers/preprocessing/normalization.py`):
 * `(x - mean) / max(sqrt(variance), 1e-7)`, or `mean + x * max(sqrt(variance), 1e-7)` with
 * `invert`. Mean and variance are either given in the config, or non-trainable weights
 * (`mean`, `variance`, and `count`, the number of samples they were adapted on) that
 * {@link Normalization.adapt} computes from data or a Keras file brings.
 */
export class Normalization extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'Normalization';

  /** The axes keeping their own mean and variance, as given (`[]`: one for all). */
  readonly axis: number[];
  /** The fixed mean from the config, or `null` when it is a weight (adapted or loaded). */
  readonly mean: number | number[] | null;
  /** The fixed variance from the config, or `null` when it is a weight (adapted or loaded). */
  readonly variance: number | number[] | null;
  /** Whether the layer undoes the normalization (`mean + x * std`). */
  readonly invert: boolean;
  private keepAxes: number[] = [];
  private adapted: { mean: tf.LayerVariable; variance: tf.LayerVariable; count: tf.LayerVariable } | null = null;

  constructor(args: NormalizationArgs = {}) {
    super(args);
    const axis = args.axis === undefined ? [-1] : args.axis === null ? [] : args.axis;
    this.axis = Array.isArray(axis) ? [...axis] : [axis];
    if (this.axis.some((a) => !Number.isInteger(a)))
      throw new ConfigError(`Normalization axis must be integers, but received ${JSON.stringify(args.axis)}`);
    this.mean = args.mean ?? null;
    this.variance = args.variance ?? null;
    this.invert = args.invert ?? false;
    if ((this.mean === null) !== (this.variance === null))
      throw new ConfigError(
        `Normalization needs both mean and variance, or neither; received mean=${JSON.stringify(this.mean)} and ` +
          `variance=${JSON.stringify(this.variance)}`,
      );
    const size = (v: number | number[] | null) => (Array.isArray(v) ? v.length : v === null ? 0 : -1);
    if (size(this.mean) !== size(this.variance) || (Array.isArray(this.mean) && this.axis.length === 0))
      throw new ConfigError(
        `Normalization mean and variance must have the same shape, one value per kept position; received ` +
          `mean=${JSON.stringify(this.mean)}, variance=${JSON.stringify(this.variance)}, ` +
          `axis=${JSON.stringify(this.axis)}`,
      );
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `Normalization "${this.name}"`);
    const rank = shape.length;
    if (this.axis.some((a) => a < -rank || a >= rank))
      throw new ConfigError(
        `Normalization "${this.name}" axis ${JSON.stringify(this.axis)} is outside the input's ${rank} axes ` +
          `(input shape ${formatShape(shape)})`,
      );
    this.keepAxes = [...new Set(this.axis.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    if (this.keepAxes.some((a) => shape[a] == null))
      throw new ConfigError(
        `Normalization "${this.name}" keeps axis ${JSON.stringify(this.axis)}, which must have a known size; ` +
          `received input shape ${formatShape(shape)}`,
      );
    if (Array.isArray(this.mean) && this.mean.length !== shape[this.keepAxes[this.keepAxes.length - 1]])
      throw new ConfigError(
        `Normalization "${this.name}" has ${this.mean.length} means for an axis of size ` +
          `${shape[this.keepAxes[this.keepAxes.length - 1]]} (input shape ${formatShape(shape)})`,
      );
    if (this.mean === null) {
      const statShape = this.keepAxes.map((a) => shape[a] as number);
      this.adapted = {
        mean: this.addWeight('mean', statShape, 'float32', tf.initializers.zeros(), undefined, false),
        variance: this.addWeight('variance', statShape, 'float32', tf.initializers.ones(), undefined, false),
        count: this.addWeight('count', [], 'float32', tf.initializers.zeros(), undefined, false),
      };
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = tf.cast(onlyInput(inputs, this), 'float32');
      const [mean, variance] = this.statistics(x.rank);
      const std = tf.maximum(tf.sqrt(variance), EPSILON);
      return this.invert ? tf.add(mean, tf.mul(x, std)) : tf.div(tf.sub(x, mean), std);
    });
  }

  /**
   * Sets the mean and variance (and count) weights to those of `data`, over every axis but the kept ones,
   * as Keras's `adapt` does (the variance is the population variance). Only for a layer without fixed ones.
   */
  adapt(data: tf.Tensor): void {
    if (this.mean !== null)
      throw new ConfigError(`Normalization "${this.name}" has a fixed mean and variance; adapt needs a layer without`);
    if (!this.built) this.build(data.shape);
    const adapted = this.adapted as NonNullable<typeof this.adapted>;
    tf.tidy(() => {
      const reduce = data.shape.map((_, i) => i).filter((i) => !this.keepAxes.includes(i));
      const { mean, variance } = tf.moments(tf.cast(data, 'float32'), reduce);
      adapted.mean.write(tf.reshape(mean, adapted.mean.shape as number[]));
      adapted.variance.write(tf.reshape(variance, adapted.variance.shape as number[]));
      adapted.count.write(tf.scalar(reduce.reduce((n, i) => n * data.shape[i], 1)));
    });
  }

  /** Mean and variance shaped to broadcast against an input of rank `rank` (Keras's `_broadcast_shape`). */
  private statistics(rank: number): [tf.Tensor, tf.Tensor] {
    const expanded = new Array<number>(rank).fill(1);
    if (this.adapted !== null) {
      for (const a of this.keepAxes) expanded[a] = this.adapted.mean.shape[this.keepAxes.indexOf(a)] as number;
      return [tf.reshape(this.adapted.mean.read(), expanded), tf.reshape(this.adapted.variance.read(), expanded)];
    }
    const mean = this.mean as number | number[];
    if (!Array.isArray(mean)) return [tf.scalar(mean), tf.scalar(this.variance as number)];
    expanded[this.keepAxes[this.keepAxes.length - 1]] = mean.length;
    return [tf.tensor(mean, expanded), tf.tensor(this.variance as number[], expanded)];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      axis: [...this.axis],
      mean: this.mean,
      variance: this.variance,
      invert: this.invert,
      ...super.getConfig(),
    };
  }
}
tf.serialization.registerClass(Normalization);

/** A {@link Normalization} layer. */
export function normalization(args: NormalizationArgs = {}): Normalization {
  return new Normalization(args);
}
