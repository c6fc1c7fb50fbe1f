/**
 * The one table of what crosses between Keras 3 and TF.js: every layer class
 * both sides have, with the config keys that differ. The translation, the
 * weight layout and the docs (`docs/keras.md`) all read it; a class that is
 * not in it is refused, in both directions.
 *
 * Keys are the snake_case (Keras, and TF.js's saved `model.json`) spelling.
 * Keys both sides spell the same way pass through unchanged.
 */
export interface LayerEntry {
  /** The Keras 3 class name (`class_name` in `config.json`). */
  readonly keras: string;
  /** The TF.js class name. */
  readonly tfjs: string;
  /** Keras key -> TF.js key, for keys spelled differently. */
  readonly renames?: Readonly<Record<string, string>>;
  /**
   * Keras-only keys, with the value TF.js behaves like. A file holding any
   * other value is refused (`unsupported-config`): TF.js would silently
   * compute something else. Dropped when reading, not written when saving.
   */
  readonly kerasOnly?: Readonly<Record<string, unknown>>;
  /** Values of shared keys TF.js does not compute (it would throw, or differ); refused when reading. */
  readonly refusedValues?: Readonly<Record<string, readonly unknown[]>>;
  /** Shared keys TF.js computes for one value only; any other is refused when reading. */
  readonly onlyValues?: Readonly<Record<string, unknown>>;
  /**
   * TF.js-only keys, with the value Keras behaves like; the same rule, the
   * other way. `ANY_VALUE`: dropped whatever it holds (it changes nothing).
   */
  readonly tfjsOnly?: Readonly<Record<string, unknown>>;
  /** The sublayer Keras keeps the layer's variables in (`cell` for recurrent layers: `layers/lstm/cell/vars/0`). */
  readonly varsGroup?: string;
  /** Config keys holding lists of nested layers (their Keras weights live under `<key>/<snake_class>`). */
  readonly sublayerLists?: readonly string[];
  /** A tfjs-skip layer: saved with `registered_name` `tfjs_skip>Class` (the Python package `tfjs_skip`). */
  readonly custom?: boolean;
  /**
   * A class `keras.applications` defines for itself (ConvNeXt's `LayerScale`): the Keras module it lives in.
   * Read only from a file naming that module, and saved with it (Keras imports its own modules).
   */
  readonly kerasModule?: string;
  /**
   * One of several TF.js classes for one Keras class: this entry holds for the Keras configs it accepts
   * (`Conv2D` with `groups > 1` is `GroupedConv2D`). Entries with a variant come before the plain one;
   * with no module (legacy `.h5`), the first that fits.
   */
  readonly variant?: (kerasConfig: Readonly<Record<string, unknown>>) => boolean;
  /** The layer's weights (by TF.js name, the last part) Keras keeps as int64 (Normalization's `count`). */
  readonly integerWeights?: readonly string[];
}

/** The Keras package name of tfjs-skip's layers (`@keras.saving.register_keras_serializable(package=...)`). */
export const KERAS_PACKAGE = 'tfjs_skip';

/** In `kerasOnly` / `tfjsOnly`: the key is dropped whatever its value (it changes nothing computed). */
export const ANY_VALUE: unique symbol = Symbol('any value');

const conv = { kerasOnly: { groups: 1 } };
// Recurrent layers: `seed` only seeds dropout in training; `implementation` is a TF.js speed hint.
const recurrent = {
  kerasOnly: { zero_output_for_mask: false, seed: ANY_VALUE },
  tfjsOnly: { implementation: ANY_VALUE },
  varsGroup: 'cell',
};
const lora = { lora_rank: null, lora_alpha: null, quantization_config: null };
const dataFormatOnly = { data_format: 'channels_last' };

/** Layers: each Keras class with its TF.js twin. */
export const LAYER_TABLE: readonly LayerEntry[] = [
  {
    keras: 'InputLayer',
    tfjs: 'InputLayer',
    renames: { batch_shape: 'batch_input_shape' },
    kerasOnly: { ragged: false, optional: false, sparse: false },
  },
  { keras: 'Dense', tfjs: 'Dense', kerasOnly: lora },
  { keras: 'Conv1D', tfjs: 'Conv1D', ...conv, refusedValues: { padding: ['causal'] } },
  {
    keras: 'Conv2D',
    tfjs: 'GroupedConv2D',
    variant: (c) => c['groups'] != null && c['groups'] !== 1,
    kerasOnly: {
      data_format: 'channels_last',
      kernel_regularizer: null,
      bias_regularizer: null,
      activity_regularizer: null,
      kernel_constraint: null,
      bias_constraint: null,
    },
  },
  { keras: 'Conv2D', tfjs: 'Conv2D', ...conv },
  { keras: 'Conv3D', tfjs: 'Conv3D', ...conv },
  { keras: 'DepthwiseConv2D', tfjs: 'DepthwiseConv2D' },
  { keras: 'SeparableConv2D', tfjs: 'SeparableConv2D' },
  { keras: 'Conv2DTranspose', tfjs: 'Conv2DTranspose', kerasOnly: { output_padding: null } },
  { keras: 'Conv3DTranspose', tfjs: 'Conv3DTranspose', kerasOnly: { output_padding: null } },
  {
    keras: 'BatchNormalization',
    tfjs: 'BatchNormalization',
    kerasOnly: { synchronized: false, renorm: false, renorm_clipping: null, renorm_momentum: 0.99 },
  },
  { keras: 'LayerNormalization', tfjs: 'LayerNormalization', kerasOnly: { rms_scaling: false } },
  { keras: 'Dropout', tfjs: 'Dropout' },
  // Keras's SpatialDropout1D takes no `trainable` (it has no weights to train).
  { keras: 'SpatialDropout1D', tfjs: 'SpatialDropout1D', tfjsOnly: { noise_shape: null, trainable: ANY_VALUE } },
  { keras: 'GaussianNoise', tfjs: 'GaussianNoise' },
  { keras: 'GaussianDropout', tfjs: 'GaussianDropout' },
  { keras: 'AlphaDropout', tfjs: 'AlphaDropout' },
  { keras: 'MaxPooling1D', tfjs: 'MaxPooling1D', kerasOnly: dataFormatOnly },
  { keras: 'AveragePooling1D', tfjs: 'AveragePooling1D', kerasOnly: dataFormatOnly },
  { keras: 'MaxPooling2D', tfjs: 'MaxPooling2D' },
  { keras: 'AveragePooling2D', tfjs: 'AveragePooling2D' },
  { keras: 'MaxPooling3D', tfjs: 'MaxPooling3D' },
  { keras: 'AveragePooling3D', tfjs: 'AveragePooling3D' },
  { keras: 'GlobalMaxPooling1D', tfjs: 'GlobalMaxPooling1D', kerasOnly: { ...dataFormatOnly, keepdims: false } },
  {
    keras: 'GlobalAveragePooling1D',
    tfjs: 'GlobalAveragePooling1D',
    kerasOnly: { ...dataFormatOnly, keepdims: false },
  },
  { keras: 'GlobalMaxPooling2D', tfjs: 'GlobalMaxPooling2D', kerasOnly: { keepdims: false } },
  {
    keras: 'GlobalAveragePooling2D',
    tfjs: 'GlobalAveragePooling2DKeepDims',
    variant: (c) => c['keepdims'] === true,
    kerasOnly: dataFormatOnly,
  },
  { keras: 'GlobalAveragePooling2D', tfjs: 'GlobalAveragePooling2D', kerasOnly: { keepdims: false } },
  { keras: 'Flatten', tfjs: 'Flatten' },
  { keras: 'Reshape', tfjs: 'Reshape' },
  { keras: 'Permute', tfjs: 'Permute' },
  { keras: 'RepeatVector', tfjs: 'RepeatVector' },
  { keras: 'ZeroPadding2D', tfjs: 'ZeroPadding2D' },
  { keras: 'Cropping2D', tfjs: 'Cropping2D' },
  { keras: 'UpSampling2D', tfjs: 'UpSampling2D' },
  { keras: 'Activation', tfjs: 'Activation' },
  { keras: 'ReLU', tfjs: 'ReLU', kerasOnly: { negative_slope: 0, threshold: 0 } },
  { keras: 'LeakyReLU', tfjs: 'LeakyReLU', renames: { negative_slope: 'alpha' } },
  { keras: 'PReLU', tfjs: 'PReLU' },
  { keras: 'ELU', tfjs: 'ELU', onlyValues: { alpha: 1 } },
  { keras: 'Softmax', tfjs: 'Softmax' },
  { keras: 'Add', tfjs: 'Add' },
  { keras: 'Multiply', tfjs: 'Multiply' },
  { keras: 'Average', tfjs: 'Average' },
  { keras: 'Maximum', tfjs: 'Maximum' },
  { keras: 'Minimum', tfjs: 'Minimum' },
  { keras: 'Concatenate', tfjs: 'Concatenate' },
  { keras: 'Dot', tfjs: 'Dot' },
  { keras: 'Embedding', tfjs: 'Embedding', kerasOnly: lora, tfjsOnly: { input_length: null } },
  { keras: 'Masking', tfjs: 'Masking' },
  { keras: 'Rescaling', tfjs: 'Rescaling' },
  { keras: 'Normalization', tfjs: 'Normalization', integerWeights: ['count'] },
  { keras: 'SimpleRNN', tfjs: 'SimpleRNN', ...recurrent },
  { keras: 'LSTM', tfjs: 'LSTM', ...recurrent },
  // Keras 3's default reset_after=True (cuDNN's GRU) is not in TF.js.
  { keras: 'GRU', tfjs: 'GRU', ...recurrent, onlyValues: { reset_after: false } },
  { keras: 'Sequential', tfjs: 'Sequential' },
  { keras: 'Functional', tfjs: 'Model' },
  // tfjs-skip's layers, mirrored by the Python package `tfjs_skip`.
  { keras: 'SkipConnection', tfjs: 'SkipConnection', sublayerLists: ['main_path', 'skip_path'], custom: true },
  { keras: 'Shortcut', tfjs: 'Shortcut', custom: true },
  { keras: 'Highway', tfjs: 'Highway', custom: true },
  { keras: 'DropPath', tfjs: 'DropPath', custom: true },
  // keras.applications' own layers (src/keras/layers/applications.ts); ConvNeXt's LayerScale before tfjs-skip's.
  {
    keras: 'LayerScale',
    tfjs: 'ConvNeXtLayerScale',
    kerasModule: 'keras.src.applications.convnext',
    variant: (c) => c['projection_dim'] !== undefined,
  },
  { keras: 'LayerScale', tfjs: 'LayerScale', custom: true },
  { keras: 'StochasticDepth', tfjs: 'StochasticDepth', kerasModule: 'keras.src.applications.convnext' },
  { keras: 'CustomScaleLayer', tfjs: 'CustomScaleLayer', kerasModule: 'keras.src.applications.inception_resnet_v2' },
];

/**
 * Layers one side has and the other lacks, or that would run code: never
 * translated, with the reason the refusal gives.
 */
export const REFUSED_LAYERS: ReadonlyMap<string, string> = new Map([
  [
    'Lambda',
    'it holds Python code (marshalled bytecode or a function name), and tfjs-skip never runs code from a file',
  ],
  ['TFSMLayer', 'it wraps a TensorFlow SavedModel, which is code'],
  ['ThresholdedReLU', 'Keras 3 removed it (write ReLU with threshold, which TF.js lacks)'],
  ['Subtract', 'TF.js has no Subtract layer'],
  ['SpatialDropout2D', 'TF.js has no SpatialDropout2D layer'],
]);

/** Keras 3 also accepts these names for the same class. */
const KERAS_ALIASES: ReadonlyMap<string, string> = new Map([
  ['Model', 'Functional'],
  ['Convolution2D', 'Conv2D'],
  ['Conv2d', 'Conv2D'],
]);

const byTfjs = new Map(LAYER_TABLE.map((e) => [e.tfjs, e]));

/**
 * The entry of a Keras class name (own entries only), or `undefined`: the one of the file's `module`
 * for `keras.applications`' own classes, else the first whose variant accepts `config`.
 */
export function entryForKeras(
  className: string,
  config: Readonly<Record<string, unknown>> = {},
  module?: unknown,
): LayerEntry | undefined {
  const name = KERAS_ALIASES.get(className) ?? className;
  const fits = LAYER_TABLE.filter((e) => e.keras === name && (e.variant === undefined || e.variant(config)));
  // Legacy `.h5` files name no module: the table's order decides (the entries with a variant first).
  if (typeof module !== 'string') return fits[0];
  return fits.find((e) => e.kerasModule === module) ?? fits.find((e) => e.kerasModule === undefined);
}

/** The entry of a TF.js class name (`Functional` is TF.js's alias of `Model`), or `undefined`. */
export function entryForTfjs(className: string): LayerEntry | undefined {
  return byTfjs.get(className === 'Functional' ? 'Model' : className);
}

/** Activations both sides compute the same way: Keras name -> TF.js name (snake_case). */
export const ACTIVATIONS: ReadonlyMap<string, string> = new Map([
  ['linear', 'linear'],
  ['relu', 'relu'],
  ['relu6', 'relu6'],
  ['sigmoid', 'sigmoid'],
  ['tanh', 'tanh'],
  ['softmax', 'softmax'],
  ['softplus', 'softplus'],
  ['softsign', 'softsign'],
  ['elu', 'elu'],
  ['selu', 'selu'],
  ['swish', 'swish'],
  ['silu', 'swish'],
  ['mish', 'mish'],
  ['gelu', 'gelu'],
  // tfjs-skip's own activation (src/keras/layers/activations.ts); Keras's hard_swish is the same function.
  ['hard_silu', 'hard_silu'],
  ['hard_swish', 'hard_silu'],
]);
// Refused: 'hard_sigmoid' (Keras 3: relu6(x + 3) / 6; TF.js: 0.2x + 0.5) and every
// activation only one side has ('leaky_relu', 'log_softmax', 'exponential', ...).

/** Initializers: Keras class -> TF.js class; configs cross key for key. */
export const INITIALIZERS: ReadonlyMap<string, string> = new Map([
  ['Zeros', 'Zeros'],
  ['Ones', 'Ones'],
  ['Constant', 'Constant'],
  ['RandomNormal', 'RandomNormal'],
  ['RandomUniform', 'RandomUniform'],
  ['TruncatedNormal', 'TruncatedNormal'],
  ['VarianceScaling', 'VarianceScaling'],
  ['GlorotUniform', 'GlorotUniform'],
  ['GlorotNormal', 'GlorotNormal'],
  ['HeNormal', 'HeNormal'],
  ['HeUniform', 'HeUniform'],
  ['LecunNormal', 'LeCunNormal'],
  ['LecunUniform', 'LeCunUniform'],
  ['Orthogonal', 'Orthogonal'],
  ['Identity', 'Identity'],
]);

/** Constraints: the same class names on both sides. */
export const CONSTRAINTS: ReadonlySet<string> = new Set(['MaxNorm', 'MinMaxNorm', 'NonNeg', 'UnitNorm']);

/** Regularizers: Keras `L1`, `L2`, `L1L2` are TF.js's `L1L2` with the other term 0. */
export const REGULARIZERS: ReadonlySet<string> = new Set(['L1', 'L2', 'L1L2']);

/** Keras's `naming.to_snake_case`: the name of a layer's group in `model.weights.h5`. */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
