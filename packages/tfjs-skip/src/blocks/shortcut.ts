import * as tf from '@tensorflow/tfjs';
import { batchNormalization } from './batch_norm.js';
import { CompositeLayer, onlyInput, type Kwargs, type LayerArgs } from '../composite_layer.js';
import { ConfigError } from '../errors.js';
import { buildPath, runPath } from '../paths.js';
import { positiveInteger } from './checks.js';
import { exactlyOneShape, formatShape, type Shape } from '../shapes.js';

type Layer = tf.layers.Layer;

/**
 * How a shortcut matches a residual branch that changes the number of
 * channels or the resolution (He et al. 2016, "Deep Residual Learning",
 * section 3.3): `'projection'` is option B, a strided 1x1 convolution
 * (followed by BatchNorm unless `batchNorm: false`); `'zeroPad'` is option A,
 * parameter-free: stride-`s` subsampling and zero channels appended.
 */
export const SHORTCUT_KINDS = ['projection', 'zeroPad'] as const;
/** One of {@link SHORTCUT_KINDS}. */
export type ShortcutKind = (typeof SHORTCUT_KINDS)[number];

/** Arguments of {@link shortcut}: the shape change to match, and how. */
export interface ShortcutArgs extends LayerArgs {
  /** Channels the shortcut must output: the residual branch's output channels. */
  filters: number;
  /** The residual branch's spatial stride (default 1). */
  strides?: number;
  /** How to match a branch that changes shape (default `'projection'`). */
  kind?: ShortcutKind;
  /** For `'projection'`: follow the 1x1 convolution with BatchNorm (default true). */
  batchNorm?: boolean;
}

/**
 * The skip path of a residual block, decided from the input shape when the
 * layer is built: the identity when the input already has `filters` channels
 * and `strides` is 1, otherwise a projection (or option A zero padding) to
 * the branch's shape. A block built with it cannot have mismatched paths.
 *
 * Its projection layers are created in `build`, named `conv` and `bn` under
 * this layer's name, so a saved model needs only `{filters, strides, kind,
 * batchNorm}` to rebuild them.
 */
export class Shortcut extends CompositeLayer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'Shortcut';

  /** Channels the shortcut outputs. */
  readonly filters: number;
  /** Its spatial stride. */
  readonly strides: number;
  /** How it matches a change of shape. */
  readonly kind: ShortcutKind;
  /** Whether a projection is followed by BatchNorm. */
  readonly batchNorm: boolean;
  /** The projection layers; empty before `build` and for an identity or zeroPad shortcut. */
  private projection: Layer[] = [];

  constructor(args: ShortcutArgs) {
    super(args);
    this.filters = positiveInteger(args.filters, 'Shortcut filters');
    this.strides = positiveInteger(args.strides ?? 1, 'Shortcut strides');
    this.kind = args.kind ?? 'projection';
    if (!SHORTCUT_KINDS.includes(this.kind)) {
      throw new ConfigError(
        `Shortcut kind must be one of ${SHORTCUT_KINDS.map((k) => `'${k}'`).join(', ')}, but received ` +
          `${JSON.stringify(args.kind)}`,
      );
    }
    this.batchNorm = args.batchNorm ?? true;
  }

  /** The projection layers (conv, then bn): empty before `build` and for an identity or zeroPad shortcut. */
  get projectionLayers(): readonly Layer[] {
    return this.projection;
  }

  /** True when the input of shape `inputShape` passes through unchanged. */
  isIdentity(inputShape: Shape): boolean {
    return this.strides === 1 && inputShape[inputShape.length - 1] === this.filters;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = this.checkShape(exactlyOneShape(inputShape, `Shortcut "${this.name}"`));
    if (this.kind === 'projection' && !this.isIdentity(shape)) {
      this.projection = [
        tf.layers.conv2d({
          name: 'conv',
          filters: this.filters,
          kernelSize: 1,
          strides: this.strides,
          useBias: false,
          kernelInitializer: 'heNormal',
        }),
        ...(this.batchNorm ? [batchNormalization({ name: 'bn' })] : []),
      ];
      this.projection.forEach((l) => l.setFastWeightInitDuringBuild(this.fastWeightInit));
      buildPath(this.projection, shape, this.dtype ?? 'float32', `Shortcut "${this.name}"`);
    }
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [batch, h, w] = this.checkShape(exactlyOneShape(inputShape, `Shortcut "${this.name}"`));
    const down = (d: number | null | undefined) => (d == null ? null : Math.ceil(d / this.strides));
    return [batch ?? null, down(h), down(w), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this);
      if (this.isIdentity(x.shape)) return x;
      if (this.kind === 'projection') return runPath(this.projection, x, kwargs['training'] as boolean | undefined);
      return zeroPadShortcut(x as tf.Tensor4D, this.strides, this.filters);
    });
  }

  override get innerLayers(): readonly Layer[] {
    return this.projection;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      filters: this.filters,
      strides: this.strides,
      kind: this.kind,
      batchNorm: this.batchNorm,
      ...super.getConfig(),
    };
  }

  private checkShape(shape: Shape): Shape {
    const channels = shape[3];
    if (shape.length !== 4) {
      throw new ConfigError(
        `Shortcut "${this.name}" takes NHWC images (rank 4), but received input of shape ${formatShape(shape)}`,
      );
    }
    if (this.kind === 'zeroPad' && channels != null && channels > this.filters) {
      throw new ConfigError(
        `Shortcut "${this.name}" with kind 'zeroPad' can only add channels, but its input ${formatShape(shape)} has ` +
          `${channels} > filters ${this.filters}; use kind: 'projection'`,
      );
    }
    return shape;
  }
}
tf.serialization.registerClass(Shortcut);

/**
 * Option A: keep every `strides`-th pixel, then append zero channels up to
 * `filters`. (A 1x1 average pool with stride `strides` is that subsampling,
 * and unlike `stridedSlice` it has a gradient in TF.js.)
 */
function zeroPadShortcut(x: tf.Tensor4D, strides: number, filters: number): tf.Tensor {
  const c = x.shape[3];
  const sub = strides === 1 ? x : tf.avgPool(x, 1, strides, 'valid');
  return filters === c
    ? sub
    : tf.pad(sub, [
        [0, 0],
        [0, 0],
        [0, 0],
        [0, filters - c],
      ]);
}

/** The shortcut that matches a branch of `filters` channels and stride `strides`. */
export function shortcut(args: ShortcutArgs): Shortcut {
  return new Shortcut(args);
}
