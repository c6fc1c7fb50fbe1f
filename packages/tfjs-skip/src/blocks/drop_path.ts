import * as tf from '@tensorflow/tfjs';
import type { Shape } from '../shapes.js';
import { onlyInput, type Kwargs, type LayerArgs } from '../composite_layer.js';
import { unitRate } from './checks.js';

export interface DropPathArgs extends LayerArgs {
  /** Probability that a sample's branch is dropped in training, in `[0, 1)`. */
  rate: number;
}

/**
 * Stochastic depth / drop-path (Huang et al. 2016, "Deep Networks with
 * Stochastic Depth"; per sample as in Larsson et al. 2017, FractalNet): in
 * training, each sample's input is zeroed with probability `rate` and the
 * others are scaled by `1 / (1 - rate)`, so the expectation is the input; in
 * inference it is the identity. Put it last on a residual branch
 * (`mainPath`), so a dropped sample passes through the shortcut alone.
 */
export class DropPath extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'DropPath';

  /** Probability that a sample's branch is dropped in training. */
  readonly rate: number;

  constructor(args: DropPathArgs) {
    super(args);
    this.rate = unitRate(args.rate, `DropPath rate`);
  }

  override build(): void {
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this);
      if (kwargs['training'] !== true || this.rate === 0) return x;
      const keep = 1 - this.rate;
      const maskShape = [x.shape[0], ...x.shape.slice(1).map(() => 1)];
      const mask = tf.floor(tf.add(tf.randomUniform(maskShape), keep));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { rate: this.rate, ...super.getConfig() };
  }
}
tf.serialization.registerClass(DropPath);

/** A {@link DropPath} layer: drops whole samples of a residual branch in training. */
export function dropPath(args: DropPathArgs): DropPath {
  return new DropPath(args);
}
