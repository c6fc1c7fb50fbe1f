import * as tf from '@tensorflow/tfjs';
import { exactlyOneShape, formatShape, type Shape } from '../shapes.js';
import { onlyInput, type LayerArgs } from '../composite_layer.js';
import { ConfigError } from '../errors.js';
import { finiteNumber } from './checks.js';

export interface LayerScaleArgs extends LayerArgs {
  /** The scale's initial value (default `1e-5`, as in timm; 0 is ReZero). */
  initValue?: number;
  /** One scale per channel (last axis, LayerScale) or a single scalar (ReZero); default true. */
  perChannel?: boolean;
}

/**
 * A learned scale on a residual branch: `y = scale * x`, with `scale`
 * starting small so a deep residual net starts close to the identity.
 * Per channel it is LayerScale (Touvron et al. 2021, "Going deeper with Image
 * Transformers", CaiT); one scalar starting at 0 is ReZero (Bachlechner et
 * al. 2021, "ReZero is All You Need"). Put it at the end of `mainPath`.
 */
export class LayerScale extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'LayerScale';

  /** The scale's initial value. */
  readonly initValue: number;
  /** One scale per channel (true) or one scalar (false). */
  readonly perChannel: boolean;
  private scale: tf.LayerVariable | null = null;

  constructor(args: LayerScaleArgs = {}) {
    super(args);
    this.initValue = finiteNumber(args.initValue ?? 1e-5, 'LayerScale initValue');
    this.perChannel = args.perChannel ?? true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `LayerScale "${this.name}"`);
    const channels = shape[shape.length - 1];
    if (this.perChannel && (channels == null || shape.length < 2)) {
      throw new ConfigError(
        `LayerScale "${this.name}" needs a known last axis for per-channel scales, but received input of shape ` +
          `${formatShape(shape)}`,
      );
    }
    const size = this.perChannel ? (channels as number) : 1;
    this.scale = this.addWeight('scale', [size], 'float32', tf.initializers.constant({ value: this.initValue }));
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this);
      return tf.mul(x, (this.scale as tf.LayerVariable).read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { initValue: this.initValue, perChannel: this.perChannel, ...super.getConfig() };
  }
}
tf.serialization.registerClass(LayerScale);

/** A per-channel {@link LayerScale} (CaiT): `y = scale * x`, `scale` starting at `initValue`. */
export function layerScale(args: LayerScaleArgs = {}): LayerScale {
  return new LayerScale(args);
}

/** ReZero: one learned scalar on the branch, starting at 0 (a {@link LayerScale}). */
export function reZero(args: Omit<LayerScaleArgs, 'initValue' | 'perChannel'> = {}): LayerScale {
  return new LayerScale({ ...args, initValue: 0, perChannel: false });
}
