import * as tf from '@tensorflow/tfjs';
import { onlyInput, type LayerArgs } from '../../composite_layer.js';
import { ConfigError } from '../../errors.js';
import { positiveInteger } from '../../blocks/checks.js';
import { exactlyOneShape, formatShape, type Shape } from '../../shapes.js';

/** One size for both spatial axes, or `[height, width]`. */
export type Pair = number | [number, number];
/** TF.js's initializer class (its base class is not exported by `@tensorflow/tfjs`). */
type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Configuration of a {@link GroupedConv2D} layer (Keras's `Conv2D` keys, camelCase). */
export interface GroupedConv2DArgs extends LayerArgs {
  /** Output channels; a multiple of `groups`. */
  filters: number;
  /** The kernel's spatial size. */
  kernelSize: Pair;
  /** Channel groups: input and output channels are split in `groups` parts, each convolved on its own (default 1). */
  groups?: number;
  /** Steps of the kernel over height and width (default 1). */
  strides?: Pair;
  /** `'valid'` (no padding, the default) or `'same'` (output size `ceil(input / stride)`). */
  padding?: 'valid' | 'same';
  /** Spacing between kernel taps (default 1). */
  dilationRate?: Pair;
  /** An activation name TF.js knows (`'relu'`, `'gelu'`, ...; default `'linear'`). */
  activation?: string;
  /** Whether a bias is added per output channel (default true). */
  useBias?: boolean;
  /** An initializer, or its `{className, config}` (default `GlorotUniform`, as Keras and TF.js). */
  kernelInitializer?: Initializer | InitializerConfig;
  /** Default `Zeros`. */
  biasInitializer?: Initializer | InitializerConfig;
}

/** A serialized initializer, as a saved model's JSON holds it. */
export interface InitializerConfig {
  /** The initializer's registered class name (`'GlorotUniform'`, `'Zeros'`, ...). */
  className: string;
  /** Its arguments. */
  config: tf.serialization.ConfigDict;
}

const pair = (v: Pair | undefined, fallback: number): [number, number] =>
  v === undefined ? [fallback, fallback] : Array.isArray(v) ? [v[0], v[1]] : [v, v];

/**
 * Keras 3's `Conv2D` with `groups > 1` (channels last), which TF.js's Conv2D lacks: the input's
 * channels split in `groups` parts, each convolved by its own `filters / groups` filters, the outputs
 * concatenated. The kernel is Keras's, `[kh, kw, inChannels / groups, filters]`. ConvNeXt's depthwise
 * convolutions are `groups === inChannels`, computed as one `depthwiseConv2d` on the same kernel data.
 */
export class GroupedConv2D extends tf.layers.Layer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'GroupedConv2D';

  /** Output channels. */
  readonly filters: number;
  /** `[height, width]` of the kernel. */
  readonly kernelSize: [number, number];
  /** Channel groups convolved on their own. */
  readonly groups: number;
  /** `[height, width]` steps. */
  readonly strides: [number, number];
  /** `'valid'` or `'same'`. */
  readonly padding: 'valid' | 'same';
  /** `[height, width]` spacing between kernel taps. */
  readonly dilationRate: [number, number];
  /** The activation's name. */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  private readonly activationLayer: tf.layers.Layer;
  private kernel: tf.LayerVariable | null = null;
  private bias: tf.LayerVariable | null = null;

  constructor(args: GroupedConv2DArgs) {
    super(args);
    this.filters = positiveInteger(args.filters, 'GroupedConv2D filters');
    this.groups = positiveInteger(args.groups ?? 1, 'GroupedConv2D groups');
    if (this.filters % this.groups !== 0)
      throw new ConfigError(`GroupedConv2D filters (${this.filters}) must be a multiple of groups (${this.groups})`);
    this.kernelSize = pair(args.kernelSize, 1);
    this.strides = pair(args.strides, 1);
    this.dilationRate = pair(args.dilationRate, 1);
    this.padding = args.padding ?? 'valid';
    if (this.padding !== 'valid' && this.padding !== 'same')
      throw new ConfigError(
        `GroupedConv2D padding must be 'valid' or 'same', but received ${JSON.stringify(args.padding)}`,
      );
    this.activation = args.activation ?? 'linear';
    this.activationLayer = tf.layers.activation({
      activation: this.activation as Parameters<typeof tf.layers.activation>[0]['activation'],
    });
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = initializer(
      args.kernelInitializer,
      tf.initializers.glorotUniform({}),
      'kernelInitializer',
    );
    this.biasInitializer = initializer(args.biasInitializer, tf.initializers.zeros(), 'biasInitializer');
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `GroupedConv2D "${this.name}"`);
    const channels = shape[3];
    if (shape.length !== 4 || channels == null || channels % this.groups !== 0)
      throw new ConfigError(
        `GroupedConv2D "${this.name}" needs a 4D channels-last input whose channels are a multiple of groups ` +
          `(${this.groups}); received shape ${formatShape(shape)}`,
      );
    const [kh, kw] = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [kh, kw, channels / this.groups, this.filters],
      'float32',
      this.kernelInitializer,
    );
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], 'float32', this.biasInitializer);
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = exactlyOneShape(inputShape, `GroupedConv2D "${this.name}"`);
    const out = (size: number | null, i: 0 | 1): number | null => {
      if (size == null) return null;
      const span = (this.kernelSize[i] - 1) * this.dilationRate[i] + 1;
      return this.padding === 'same'
        ? Math.ceil(size / this.strides[i])
        : Math.floor((size - span) / this.strides[i]) + 1;
    };
    return [shape[0], out(shape[1], 0), out(shape[2], 1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this) as tf.Tensor4D;
      const kernel = (this.kernel as tf.LayerVariable).read() as tf.Tensor4D;
      const [kh, kw, perGroup] = kernel.shape;
      let y: tf.Tensor4D;
      if (perGroup === 1) {
        // One input channel per group: a depthwise convolution, the kernel's data unchanged.
        const depthwise = tf.reshape(kernel, [kh, kw, this.groups, this.filters / this.groups]) as tf.Tensor4D;
        y = tf.depthwiseConv2d(x, depthwise, this.strides, this.padding, 'NHWC', this.dilationRate);
      } else {
        const xs = tf.split(x, this.groups, 3);
        const ks = tf.split(kernel, this.groups, 3);
        y = tf.concat(
          xs.map((part, g) =>
            tf.conv2d(part as tf.Tensor4D, ks[g] as tf.Tensor4D, this.strides, this.padding, 'NHWC', this.dilationRate),
          ),
          3,
        );
      }
      if (this.bias !== null) y = tf.add(y, this.bias.read());
      return this.activationLayer.apply(y) as tf.Tensor;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      filters: this.filters,
      kernelSize: [...this.kernelSize],
      groups: this.groups,
      strides: [...this.strides],
      padding: this.padding,
      dilationRate: [...this.dilationRate],
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: {
        className: this.kernelInitializer.getClassName(),
        config: this.kernelInitializer.getConfig(),
      },
      biasInitializer: { className: this.biasInitializer.getClassName(), config: this.biasInitializer.getConfig() },
      ...super.getConfig(),
    };
  }
}
tf.serialization.registerClass(GroupedConv2D);

/** A {@link GroupedConv2D} layer. */
export function groupedConv2d(args: GroupedConv2DArgs): GroupedConv2D {
  return new GroupedConv2D(args);
}

/** An initializer given as an instance or as its `{className, config}`, looked up by own key in TF.js's registry. */
function initializer(
  value: Initializer | InitializerConfig | undefined | null,
  fallback: Initializer,
  what: string,
): Initializer {
  if (value == null) return fallback;
  if (value instanceof tf.serialization.Serializable) return value as Initializer;
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  const name = (value as Partial<InitializerConfig>).className;
  if (typeof name === 'string' && Object.prototype.hasOwnProperty.call(registry, name)) {
    const [cls, fromConfig] = registry[name];
    if (typeof (cls.prototype as Partial<Initializer>).apply === 'function')
      return fromConfig(cls, { ...(value.config ?? {}) }) as unknown as Initializer;
  }
  throw new ConfigError(
    `GroupedConv2D ${what} must be an initializer or a registered {className, config}; received ` +
      `${JSON.stringify(value)?.slice(0, 120)}`,
  );
}
