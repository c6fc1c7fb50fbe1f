import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../io/load_model.js';
import { decodeKeras } from './decode.js';
import { writeHdf5 } from './hdf5.js';

// Legacy `.h5` files written by Keras 2 (tf.keras before Keras 3): dtype
// strings, `batch_input_shape`, objects without `module`, call nodes as
// lists, and weight names ending in `:0`. Built here in Keras 2's layout
// (Keras 2 itself does not install beside Keras 3).

const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense',
  config: {
    name,
    trainable: true,
    dtype: 'float32',
    units,
    activation: 'relu',
    use_bias: true,
    kernel_initializer: { class_name: 'GlorotUniform', config: { seed: null } },
    bias_initializer: { class_name: 'Zeros', config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    ...extra,
  },
});

/** A Keras 2 `.h5`: `model_config`, and per layer `weight_names` (`<layer>/<weight>:0`) and datasets. */
function keras2File(config: unknown, weights: Record<string, [string, Float32Array, number[]][]>): Promise<Uint8Array> {
  return writeHdf5((file) => {
    file.create_attribute('keras_version', '2.15.0');
    file.create_attribute('backend', 'tensorflow');
    file.create_attribute('model_config', JSON.stringify(config));
    const group = file.create_group('model_weights');
    group.create_attribute('layer_names', Object.keys(weights));
    for (const [layer, list] of Object.entries(weights)) {
      const layerGroup = group.create_group(layer);
      if (list.length === 0) {
        layerGroup.create_attribute('weight_names', new Float64Array(0), [0], '<d');
        continue;
      }
      layerGroup.create_attribute(
        'weight_names',
        list.map(([name]) => name),
      );
      const inner = layerGroup.create_group(layer);
      for (const [name, data, shape] of list)
        inner.create_dataset({ name: name.split('/')[1], data, shape, dtype: '<f' });
    }
  });
}

const ramp = (n: number, scale: number) => Float32Array.from({ length: n }, (_, i) => (i - n / 2) * scale);

describe('legacy .h5 files written by Keras 2', () => {
  it('loads a Keras 2 Sequential with its weights, by position in weight_names', async () => {
    const config = {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [
          {
            class_name: 'InputLayer',
            config: {
              batch_input_shape: [null, 4],
              dtype: 'float32',
              sparse: false,
              ragged: false,
              name: 'dense_input',
            },
          },
          dense('dense', 3),
          dense('dense_1', 2, { activation: 'linear' }),
        ],
      },
      keras_version: '2.15.0',
      backend: 'tensorflow',
    };
    const bytes = await keras2File(config, {
      dense: [
        ['dense/kernel:0', ramp(12, 0.1), [4, 3]],
        ['dense/bias:0', ramp(3, 0.01), [3]],
      ],
      dense_1: [
        ['dense_1/kernel:0', ramp(6, 0.2), [3, 2]],
        ['dense_1/bias:0', ramp(2, 0.5), [2]],
      ],
    });
    const model = await loadModel(await decodeKeras(bytes));
    const [k0, b0, k1, b1] = model.getWeights().map((w) => Array.from(w.dataSync()));
    expect(k0).toEqual(Array.from(ramp(12, 0.1)));
    expect(b0).toEqual(Array.from(ramp(3, 0.01)));
    expect(k1).toEqual(Array.from(ramp(6, 0.2)));
    expect(b1).toEqual(Array.from(ramp(2, 0.5)));
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    const expected = tf.tidy(() =>
      tf
        .relu(x.matMul(tf.tensor2d(ramp(12, 0.1), [4, 3])).add(tf.tensor1d(ramp(3, 0.01))))
        .matMul(tf.tensor2d(ramp(6, 0.2), [3, 2]))
        .add(tf.tensor1d(ramp(2, 0.5))),
    );
    const actual = model.predict(x) as tf.Tensor;
    expect(Array.from(actual.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, expected, actual]);
    model.dispose();
  });

  it('loads a Keras 2 functional model: call nodes as [[layer, node, tensor, kwargs]]', async () => {
    const config = {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          {
            class_name: 'InputLayer',
            config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' },
            name: 'input_1',
            inbound_nodes: [],
          },
          { ...dense('a', 4), name: 'a', inbound_nodes: [[['input_1', 0, 0, {}]]] },
          {
            class_name: 'Add',
            config: { name: 'add', trainable: true, dtype: 'float32' },
            name: 'add',
            inbound_nodes: [
              [
                ['a', 0, 0, {}],
                ['input_1', 0, 0, {}],
              ],
            ],
          },
        ],
        input_layers: [['input_1', 0, 0]],
        output_layers: [['add', 0, 0]],
      },
    };
    const bytes = await keras2File(config, {
      input_1: [],
      a: [
        ['a/kernel:0', ramp(16, 0.05), [4, 4]],
        ['a/bias:0', ramp(4, 0.1), [4]],
      ],
      add: [],
    });
    const model = await loadModel(await decodeKeras(bytes));
    expect(model.layers.map((l) => l.getClassName())).toEqual(['InputLayer', 'Dense', 'Add']);
    expect(Array.from(model.getWeights()[0].dataSync())).toEqual(Array.from(ramp(16, 0.05)));
    model.dispose();
  });

  it("reads hard_sigmoid as Keras 2's (0.2x + 0.5) in a Keras 2 file, refuses it in a Keras 3 one", async () => {
    const lstm = { class_name: 'LSTM', config: { name: 'lstm', units: 2, recurrent_activation: 'hard_sigmoid' } };
    const config = {
      class_name: 'Sequential',
      config: {
        name: 's',
        layers: [
          { class_name: 'InputLayer', config: { batch_input_shape: [null, 3, 2], dtype: 'float32', name: 'i' } },
          lstm,
        ],
      },
    };
    const weights = {
      lstm: [
        ['lstm/kernel:0', ramp(16, 0.1), [2, 8]],
        ['lstm/recurrent_kernel:0', ramp(16, 0.1), [2, 8]],
        ['lstm/bias:0', ramp(8, 0.1), [8]],
      ] as [string, Float32Array, number[]][],
    };
    const model = await loadModel(await decodeKeras(await keras2File(config, weights)));
    expect((model.layers[1].getConfig() as { recurrentActivation: string }).recurrentActivation).toBe('hardSigmoid');
    model.dispose();
    const keras3 = await writeHdf5((f) => {
      f.create_attribute('keras_version', '3.15.1');
      f.create_attribute('model_config', JSON.stringify(config));
      f.create_group('model_weights');
    });
    const error = await decodeKeras(keras3).catch((e: unknown) => e);
    expect((error as { problem: string }).problem).toBe('unsupported-config');
    expect(String(error)).toMatch(/recurrent_activation/);
  });
});
