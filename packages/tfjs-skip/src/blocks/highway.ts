import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { exactlyOneShape, formatShape, type Shape } from '../shapes.js';
import { onlyInput, type LayerArgs } from '../composite_layer.js';
import { finiteNumber } from './checks.js';

/** Activations of the highway transform `H`: a closed set of names, never functions. */
const ACTIVATIONS = {
  relu: (x: tf.Tensor) => tf.relu(x),
  tanh: (x: tf.Tensor) => tf.tanh(x),
  sigmoid: (x: tf.Tensor) => tf.sigmoid(x),
  elu: (x: tf.Tensor) => tf.elu(x),
  linear: (x: tf.Tensor) => x,
} as const;
/**
 * The name of an activation of the highway transform `H`.
 *
 * @useDeclaredType
 */
export type HighwayActivation = keyof typeof ACTIVATIONS;
/** The activations a {@link Highway} layer takes, by name. */
export const HIGHWAY_ACTIVATIONS = Object.keys(ACTIVATIONS) as HighwayActivation[];

export interface HighwayArgs extends LayerArgs {
  /** The transform `H`'s activation (default `'relu'`). */
  activation?: HighwayActivation;
  /**
   * Initial transform-gate bias `b_T` (default -2). Negative, so the gate
   * `T = sigmoid(W_T x + b_T)` starts mostly closed and the layer starts
   * close to the identity (Srivastava et al. 2015 suggest -1 to -3).
   */
  gateBias?: number;
}

/**
 * A highway layer (Srivastava, Greff & Schmidhuber 2015, "Training Very Deep
 * Networks"): `y = T * H(x) + (1 - T) * x`, with the transform
 * `H(x) = activation(W_H x + b_H)` and the learned transform gate
 * `T = sigmoid(W_T x + b_T)`, both on the last axis, which keeps its size.
 */
export class Highway extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'Highway';

  /** The transform `H`'s activation. */
  readonly activation: HighwayActivation;
  /** The transform gate's initial bias. */
  readonly gateBias: number;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;
  private gateKernel: tf.LayerVariable | null = null;
  private gateBiasWeight: tf.LayerVariable | null = null;

  constructor(args: HighwayArgs = {}) {
    super(args);
    this.activation = args.activation ?? 'relu';
    if (!Object.prototype.hasOwnProperty.call(ACTIVATIONS, this.activation)) {
      throw new ConfigError(
        `Highway activation must be one of ${HIGHWAY_ACTIVATIONS.map((a) => `'${a}'`).join(', ')}, but received ` +
          `${JSON.stringify(args.activation)}`,
      );
    }
    this.gateBias = finiteNumber(args.gateBias ?? -2, 'Highway gateBias');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `Highway "${this.name}"`);
    const units = shape[shape.length - 1];
    if (shape.length < 2 || units == null) {
      throw new ConfigError(
        `Highway "${this.name}" needs a known last axis, but received input of shape ${formatShape(shape)}`,
      );
    }
    this.kernel = this.addWeight('kernel', [units, units], 'float32', tf.initializers.glorotUniform({}));
    this.bias = this.addWeight('bias', [units], 'float32', tf.initializers.zeros());
    this.gateKernel = this.addWeight('gate_kernel', [units, units], 'float32', tf.initializers.glorotUniform({}));
    this.gateBiasWeight = this.addWeight(
      'gate_bias',
      [units],
      'float32',
      tf.initializers.constant({ value: this.gateBias }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this);
      const units = x.shape[x.rank - 1];
      const flat = x.reshape<tf.Tensor2D>([-1, units]);
      const affine = (kernel: tf.LayerVariable | null, bias: tf.LayerVariable | null) =>
        tf.add(tf.matMul(flat, (kernel as tf.LayerVariable).read() as tf.Tensor2D), (bias as tf.LayerVariable).read());
      const h = ACTIVATIONS[this.activation](affine(this.kernel, this.bias));
      const t = tf.sigmoid(affine(this.gateKernel, this.gateBiasWeight));
      // T*H + (1-T)*x, written as x + T*(H - x).
      return tf.add(flat, tf.mul(t, tf.sub(h, flat))).reshape(x.shape);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { activation: this.activation, gateBias: this.gateBias, ...super.getConfig() };
  }
}
tf.serialization.registerClass(Highway);

/** A {@link Highway} layer: `T * H(x) + (1 - T) * x`, starting near the identity. */
export function highway(args: HighwayArgs = {}): Highway {
  return new Highway(args);
}
