/**
 * The layers `keras.applications` defines for itself (Keras 3.15's `convnext.py` and
 * `inception_resnet_v2.py`), with the same class names and config keys, so their models
 * cross both ways: saved back, Keras finds them in the same modules.
 */
import * as tf from '@tensorflow/tfjs';
import { onlyInput, type Kwargs, type LayerArgs } from '../../composite_layer.js';
import { ConfigError } from '../../errors.js';
import { DropPath } from '../../blocks/drop_path.js';
import { finiteNumber, positiveInteger } from '../../blocks/checks.js';
import { exactlyOneShape, formatShape, isShapeList, type Shape } from '../../shapes.js';

export interface ConvNeXtLayerScaleArgs extends LayerArgs {
  /** The scales' initial value (ConvNeXt: `1e-6`). */
  initValues: number;
  /** The number of channels, one scale each. */
  projectionDim: number;
}

/**
 * ConvNeXt's `LayerScale` (`keras.src.applications.convnext.LayerScale`): `x * gamma`, one learned
 * `gamma` per channel starting at `initValues`. The same computation as tfjs-skip's
 * {@link LayerScale}, with Keras's config (`init_values`, `projection_dim`) and weight (`gamma`).
 */
export class ConvNeXtLayerScale extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'ConvNeXtLayerScale';

  /** The scales' initial value. */
  readonly initValues: number;
  /** The number of channels, one scale each. */
  readonly projectionDim: number;
  private gamma: tf.LayerVariable | null = null;

  constructor(args: ConvNeXtLayerScaleArgs) {
    super(args);
    this.initValues = finiteNumber(args.initValues, 'LayerScale initValues');
    this.projectionDim = positiveInteger(args.projectionDim, 'LayerScale projectionDim');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `LayerScale "${this.name}"`);
    const channels = shape[shape.length - 1];
    if (channels !== this.projectionDim)
      throw new ConfigError(
        `LayerScale "${this.name}" scales ${this.projectionDim} channels, but received input of shape ` +
          formatShape(shape),
      );
    this.gamma = this.addWeight(
      'gamma',
      [this.projectionDim],
      'float32',
      tf.initializers.constant({ value: this.initValues }),
    );
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape | Shape[] {
    return inputShape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mul(onlyInput(inputs, this), (this.gamma as tf.LayerVariable).read()));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { initValues: this.initValues, projectionDim: this.projectionDim, ...super.getConfig() };
  }
}
tf.serialization.registerClass(ConvNeXtLayerScale);

export interface StochasticDepthArgs extends LayerArgs {
  /** Probability that a sample's branch is dropped in training, in `[0, 1)`. */
  dropPathRate: number;
}

/**
 * ConvNeXt's `StochasticDepth` (`keras.src.applications.convnext.StochasticDepth`): tfjs-skip's
 * {@link DropPath} under Keras's name and config key (`drop_path_rate`). The identity in inference;
 * in training each sample is zeroed with probability `dropPathRate`, the others scaled by `1 / (1 - rate)`.
 */
export class StochasticDepth extends DropPath {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static override className = 'StochasticDepth';

  constructor(args: StochasticDepthArgs) {
    super({ ...args, rate: args.dropPathRate });
  }

  override getConfig(): tf.serialization.ConfigDict {
    const { rate, ...base } = super.getConfig();
    return { dropPathRate: rate, ...base };
  }
}
tf.serialization.registerClass(StochasticDepth);

export interface CustomScaleLayerArgs extends LayerArgs {
  /** The factor of the second input. */
  scale: number;
}

/**
 * InceptionResNetV2's `CustomScaleLayer` (`keras.src.applications.inception_resnet_v2`): two inputs
 * `[x, branch]`, output `x + branch * scale`, the block's scaled residual.
 */
export class CustomScaleLayer extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'CustomScaleLayer';

  /** The factor of the second input. */
  readonly scale: number;

  constructor(args: CustomScaleLayerArgs) {
    super(args);
    this.scale = finiteNumber(args.scale, 'CustomScaleLayer scale');
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [x, branch] = twoShapes(inputShape, this);
    if (x.length !== branch.length || x.some((d, i) => d != null && branch[i] != null && d !== branch[i]))
      throw new ConfigError(
        `CustomScaleLayer "${this.name}" adds inputs of one shape, but received ${formatShape(x)} and ` +
          formatShape(branch),
      );
    return x;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    void kwargs;
    return tf.tidy(() => {
      if (!Array.isArray(inputs) || inputs.length !== 2)
        throw new ConfigError(`CustomScaleLayer "${this.name}" takes two inputs [x, branch]`);
      return tf.add(inputs[0], tf.mul(inputs[1], this.scale));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { scale: this.scale, ...super.getConfig() };
  }
}
tf.serialization.registerClass(CustomScaleLayer);

function twoShapes(inputShape: Shape | Shape[], layer: tf.layers.Layer): [Shape, Shape] {
  if (!isShapeList(inputShape) || inputShape.length !== 2)
    throw new ConfigError(
      `CustomScaleLayer "${layer.name}" takes two inputs [x, branch], but received ${JSON.stringify(inputShape)}`,
    );
  return [inputShape[0], inputShape[1]];
}

export interface GlobalAveragePooling2DKeepDimsArgs extends LayerArgs {
  /** Always true (Keras's config key, kept so the config crosses unchanged); false is TF.js's own layer. */
  keepdims?: true;
}

/**
 * Keras 3's `GlobalAveragePooling2D(keepdims=True)` (channels last), which TF.js's lacks: the mean
 * over height and width, kept as `[batch, 1, 1, channels]` (MobileNet's and MobileNetV3's heads and
 * squeeze-excite blocks).
 */
export class GlobalAveragePooling2DKeepDims extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'GlobalAveragePooling2DKeepDims';

  constructor(args: GlobalAveragePooling2DKeepDimsArgs = {}) {
    super(args);
    if (args.keepdims !== undefined && args.keepdims !== true)
      throw new ConfigError(
        `GlobalAveragePooling2DKeepDims keeps the pooled axes; received keepdims=${JSON.stringify(args.keepdims)} ` +
          `(use tf.layers.globalAveragePooling2d)`,
      );
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = exactlyOneShape(inputShape, `GlobalAveragePooling2D "${this.name}"`);
    if (shape.length !== 4)
      throw new ConfigError(
        `GlobalAveragePooling2D "${this.name}" needs a 4D input, but received ${formatShape(shape)}`,
      );
    return [shape[0], 1, 1, shape[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => tf.mean(onlyInput(inputs, this), [1, 2], true));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { keepdims: true, ...super.getConfig() };
  }
}
tf.serialization.registerClass(GlobalAveragePooling2DKeepDims);
