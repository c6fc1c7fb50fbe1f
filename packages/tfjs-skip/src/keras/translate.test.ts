import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { ModelFileError } from '../io/model_file_error.js';
import { topologyFromKeras } from './from_keras.js';
import { entryForKeras, entryForTfjs, kerasSnakeCase, LAYER_TABLE, REFUSED_LAYERS } from './layer_table.js';
import { topologyToKeras } from './to_keras.js';

const policy = (name: string) => ({
  module: 'keras',
  class_name: 'DTypePolicy',
  config: { name },
  registered_name: null,
});
const tensor = (name: string, node = 0) => ({
  class_name: '__keras_tensor__',
  config: { shape: [null, 4], dtype: 'float32', keras_history: [name, node, 0] },
});
const input = {
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'inp', optional: false },
  registered_name: null,
};

function dense(name: string, extra: Record<string, unknown> = {}) {
  return {
    module: 'keras.layers',
    class_name: 'Dense',
    config: {
      name,
      trainable: true,
      dtype: policy('float32'),
      units: 4,
      activation: 'relu',
      use_bias: true,
      kernel_initializer: {
        module: 'keras.initializers',
        class_name: 'GlorotUniform',
        config: { seed: null, input_axes: null, output_axes: null },
        registered_name: null,
      },
      bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
      kernel_regularizer: {
        module: 'keras.regularizers',
        class_name: 'L2',
        config: { l2: 0.01 },
        registered_name: null,
      },
      bias_regularizer: null,
      kernel_constraint: {
        module: 'keras.constraints',
        class_name: 'MaxNorm',
        config: { max_value: 2, axis: 0 },
        registered_name: null,
      },
      bias_constraint: null,
      quantization_config: null,
      ...extra,
    },
    registered_name: null,
  };
}

function sequential(...layers: unknown[]) {
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: { name: 'seq', trainable: true, dtype: policy('float32'), layers: [input, ...layers] },
    registered_name: null,
  };
}

function refusal(fn: () => unknown): ModelFileError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ModelFileError) return e;
    throw e;
  }
  throw new Error('expected a ModelFileError');
}

describe('the layer table', () => {
  it('names only classes TF.js has registered, each once per side', () => {
    const registry = tf.serialization.SerializationMap.getMap().classNameMap;
    for (const entry of LAYER_TABLE)
      expect(Object.prototype.hasOwnProperty.call(registry, entry.tfjs), entry.tfjs).toBe(true);
    // A Keras class has several entries only when a variant (a config) or a module tells them apart.
    const plain = LAYER_TABLE.filter((e) => e.variant === undefined && e.kerasModule === undefined);
    expect(new Set(plain.map((e) => e.keras)).size).toBe(plain.length);
    expect(new Set(LAYER_TABLE.map((e) => e.tfjs)).size).toBe(LAYER_TABLE.length);
  });

  it('picks the entry of a Keras class by its config and module', () => {
    expect(entryForKeras('Conv2D', { groups: 1 })?.tfjs).toBe('Conv2D');
    expect(entryForKeras('Conv2D', { groups: 96 })?.tfjs).toBe('GroupedConv2D');
    expect(entryForKeras('GlobalAveragePooling2D', { keepdims: true })?.tfjs).toBe('GlobalAveragePooling2DKeepDims');
    expect(entryForKeras('GlobalAveragePooling2D', { keepdims: false })?.tfjs).toBe('GlobalAveragePooling2D');
    const convnext = { init_values: 1e-6, projection_dim: 96 };
    expect(entryForKeras('LayerScale', convnext, 'keras.src.applications.convnext')?.tfjs).toBe('ConvNeXtLayerScale');
    expect(entryForKeras('LayerScale', convnext)?.tfjs).toBe('ConvNeXtLayerScale'); // legacy .h5: no module
    expect(entryForKeras('LayerScale', { init_value: 0.1 }, null)?.tfjs).toBe('LayerScale');
    // Another module's LayerScale is not Keras's: it falls to tfjs-skip's entry, whose registered name is checked.
    expect(entryForKeras('LayerScale', convnext, 'evil.module')?.custom).toBe(true);
    expect(entryForKeras('CustomScaleLayer', {}, 'elsewhere')).toBeUndefined();
  });

  it('covers every layer class tfjs-skip registers', () => {
    for (const name of ['SkipConnection', 'Shortcut', 'Highway', 'DropPath', 'LayerScale'])
      expect(entryForTfjs(name)?.custom, name).toBe(true);
    for (const name of ['Normalization', 'GroupedConv2D', 'GlobalAveragePooling2DKeepDims', 'ConvNeXtLayerScale'])
      expect(entryForTfjs(name), name).toBeDefined();
    for (const name of ['StochasticDepth', 'CustomScaleLayer'])
      expect(entryForTfjs(name)?.kerasModule, name).toBeDefined();
  });

  it('refuses Lambda and never maps a refused class', () => {
    expect(REFUSED_LAYERS.has('Lambda')).toBe(true);
    for (const name of REFUSED_LAYERS.keys()) expect(entryForKeras(name)).toBeUndefined();
    expect(entryForKeras('__proto__')).toBeUndefined();
    expect(entryForKeras('constructor')).toBeUndefined();
  });

  it("snake-cases class names as Keras's naming.to_snake_case does", () => {
    expect(
      [
        'Conv2D',
        'BatchNormalization',
        'GlobalAveragePooling2D',
        'PReLU',
        'Conv2DTranspose',
        'SkipConnection',
        'Functional',
      ].map(kerasSnakeCase),
    ).toEqual([
      'conv2d',
      'batch_normalization',
      'global_average_pooling2d',
      'p_re_lu',
      'conv2d_transpose',
      'skip_connection',
      'functional',
    ]);
  });
});

describe('Keras 3 config -> TF.js topology', () => {
  it('turns DTypePolicy into a dtype, batch_shape into batch_input_shape, objects into {class_name, config}', () => {
    const topology = topologyFromKeras(sequential(dense('d')), 'test');
    const [inputLayer, layer] = (
      topology['config'] as { layers: { class_name: string; config: Record<string, unknown> }[] }
    ).layers;
    expect(inputLayer).toEqual({
      class_name: 'InputLayer',
      config: { batch_input_shape: [null, 4], dtype: 'float32', name: 'inp' },
    });
    expect(layer.config['dtype']).toBe('float32');
    expect(layer.config['kernel_initializer']).toEqual({ class_name: 'GlorotUniform', config: { seed: null } });
    expect(layer.config['kernel_regularizer']).toEqual({ class_name: 'L1L2', config: { l1: 0, l2: 0.01 } });
    expect(layer.config['kernel_constraint']).toEqual({ class_name: 'MaxNorm', config: { max_value: 2, axis: 0 } });
    expect(layer.config).not.toHaveProperty('quantization_config');
  });

  it('turns __keras_tensor__ call nodes into [layer, node, tensor, kwargs]', () => {
    const functional = {
      module: 'keras.src.models.functional',
      class_name: 'Functional',
      config: {
        name: 'f',
        layers: [
          { ...input, name: 'inp', inbound_nodes: [] },
          { ...dense('a'), name: 'a', inbound_nodes: [{ args: [tensor('inp')], kwargs: {} }] },
          { ...dense('b'), name: 'b', inbound_nodes: [{ args: [tensor('inp')], kwargs: {} }] },
          {
            module: 'keras.layers',
            class_name: 'Add',
            config: { name: 'add', dtype: policy('float32') },
            name: 'add',
            inbound_nodes: [{ args: [[tensor('a'), tensor('b')]], kwargs: {} }],
          },
        ],
        input_layers: ['inp', 0, 0],
        output_layers: ['add', 0, 0],
      },
      registered_name: 'Functional',
    };
    const topology = topologyFromKeras(functional, 'test');
    const config = topology['config'] as {
      layers: { inbound_nodes: unknown }[];
      input_layers: unknown;
      output_layers: unknown;
    };
    expect(topology['class_name']).toBe('Model');
    expect(config.layers[3].inbound_nodes).toEqual([
      [
        ['a', 0, 0, {}],
        ['b', 0, 0, {}],
      ],
    ]);
    expect(config.input_layers).toEqual([['inp', 0, 0]]);
    expect(config.output_layers).toEqual([['add', 0, 0]]);
  });

  it.each([
    ['mixed precision', dense('d', { dtype: policy('mixed_float16') }), 'unsupported-config'],
    [
      'a Keras-only option with a non-default value',
      {
        ...dense('d'),
        class_name: 'Conv2D',
        config: { ...dense('d').config, filters: 2, kernel_size: [3, 3], groups: 2 },
      },
      'unsupported-config',
    ],
    [
      "a value TF.js does not compute (Conv1D padding 'causal')",
      {
        ...dense('d'),
        class_name: 'Conv1D',
        config: { ...dense('d').config, filters: 2, kernel_size: [3], padding: 'causal' },
      },
      'unsupported-config',
    ],
    [
      'a value TF.js computes for one setting only (ELU alpha 0.5)',
      { module: 'keras.layers', class_name: 'ELU', config: { name: 'e', alpha: 0.5 } },
      'unsupported-config',
    ],
    [
      "Keras 3's default GRU (reset_after=True)",
      { module: 'keras.layers', class_name: 'GRU', config: { name: 'g', units: 2, reset_after: true } },
      'unsupported-config',
    ],
    [
      "an activation TF.js computes differently ('hard_sigmoid')",
      dense('d', { activation: 'hard_sigmoid' }),
      'unsupported-config',
    ],
    [
      'a custom activation object',
      dense('d', { activation: { module: 'os', class_name: 'system', config: {} } }),
      'unsupported-config',
    ],
    [
      'an initializer TF.js lacks',
      dense('d', { kernel_initializer: { module: 'my.module', class_name: 'MyInit', config: {} } }),
      'unsupported-config',
    ],
    [
      'a Lambda layer',
      {
        module: 'keras.layers',
        class_name: 'Lambda',
        config: { name: 'l', function: { class_name: '__lambda__', config: { code: 'ZGF0YQ==' } } },
      },
      'unsupported-layer',
    ],
    [
      'a class outside the allow-list',
      { module: 'subprocess', class_name: 'Popen', config: { name: 'p' } },
      'unsupported-layer',
    ],
    ["another package's class of the same name", { ...dense('d'), registered_name: 'evil>Dense' }, 'unsupported-layer'],
    [
      'a class named __proto__',
      { module: 'keras.layers', class_name: '__proto__', config: { name: 'p' } },
      'unsupported-layer',
    ],
    [
      'a class named constructor',
      { module: 'keras.layers', class_name: 'constructor', config: { name: 'p' } },
      'unsupported-layer',
    ],
    [
      'a __proto__ key in a config',
      JSON.parse(
        '{"module":"keras.layers","class_name":"Flatten","config":{"name":"f","__proto__":{"polluted":true}}}',
      ),
      'prototype-key',
    ],
  ])('refuses %s', (_what, layer, problem) => {
    expect(refusal(() => topologyFromKeras(sequential(layer), 'test')).problem).toBe(problem);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('reads module keys only as strings to ignore: a built-in class under any module is that class', () => {
    const layer = { ...dense('d'), module: 'os' };
    const topology = topologyFromKeras(sequential(layer), 'test');
    expect((topology['config'] as { layers: { class_name: string }[] }).layers[1].class_name).toBe('Dense');
  });
});

describe('TF.js topology -> Keras 3 config', () => {
  function topologyOf(model: tf.LayersModel): Record<string, unknown> {
    return model.toJSON(undefined, false) as unknown as Record<string, unknown>;
  }

  it('opens a Sequential with an InputLayer and writes DTypePolicy objects and Keras objects', () => {
    const model = tf.sequential({
      layers: [tf.layers.dense({ units: 3, inputShape: [4], kernelRegularizer: tf.regularizers.l2({ l2: 0.1 }) })],
    });
    const keras = topologyToKeras(topologyOf(model), 'test') as {
      class_name: string;
      config: { layers: { class_name: string; config: Record<string, unknown> }[] };
    };
    expect(keras.class_name).toBe('Sequential');
    const [first, layer] = keras.config.layers;
    expect(first.class_name).toBe('InputLayer');
    expect(first.config['batch_shape']).toEqual([null, 4]);
    expect(layer.config).not.toHaveProperty('batch_input_shape');
    expect(layer.config['dtype']).toEqual(policy('float32'));
    expect(layer.config['kernel_regularizer']).toEqual({
      module: 'keras.regularizers',
      class_name: 'L1L2',
      config: { l1: 0, l2: 0.1 },
      registered_name: null,
    });
    model.dispose();
  });

  it("writes tfjs-skip's layers as tfjs_skip>Class, their nested layers translated too", async () => {
    const { skipConnection } = await import('../skip_connection.js');
    const model = tf.sequential({
      layers: [skipConnection({ inputShape: [4], mainPath: [tf.layers.dense({ units: 4 })] })],
    });
    const keras = topologyToKeras(topologyOf(model), 'test') as {
      config: {
        layers: { class_name: string; registered_name: string; config: { main_path: { class_name: string }[] } }[];
      };
    };
    const skip = keras.config.layers[1];
    expect(skip.registered_name).toBe('tfjs_skip>SkipConnection');
    expect(skip.config.main_path[0].class_name).toBe('Dense');
    model.dispose();
  });

  it('refuses a TF.js layer Keras 3 lacks', () => {
    const model = tf.sequential({ layers: [tf.layers.thresholdedReLU({ inputShape: [4] })] });
    expect(refusal(() => topologyToKeras(topologyOf(model), 'test')).problem).toBe('unsupported-layer');
    model.dispose();
  });

  it("refuses TF.js's hardSigmoid, LSTM's default recurrent activation (Keras 3's hard_sigmoid differs)", () => {
    const model = tf.sequential({ layers: [tf.layers.lstm({ units: 2, inputShape: [3, 2] })] });
    const error = refusal(() => topologyToKeras(topologyOf(model), 'test'));
    expect(error.problem).toBe('unsupported-config');
    expect(error.message).toMatch(/recurrent_activation/);
    model.dispose();
  });

  it('round-trips: Keras -> TF.js -> Keras -> TF.js gives the same TF.js topology', () => {
    const once = topologyFromKeras(sequential(dense('a'), dense('b', { activation: 'swish' })), 'test');
    const twice = topologyFromKeras(topologyToKeras(once, 'test'), 'test');
    const layers = (t: Record<string, unknown>) =>
      (t['config'] as { layers: unknown[] }).layers.filter(
        (l) => (l as { class_name: string }).class_name !== 'InputLayer',
      );
    expect(layers(twice)).toEqual(layers(once));
  });
});
