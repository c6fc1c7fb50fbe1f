import { describe, expect, it } from 'vitest';
import { ModelFileError } from '../io/model_file_error.js';
import { topologyFromKeras } from './from_keras.js';

const tensor = (layer: string) => ({
  class_name: '__keras_tensor__',
  config: { shape: [null, 4], dtype: 'float32', keras_history: [layer, 0, 0] },
});
const input = {
  module: 'keras.layers',
  class_name: 'InputLayer',
  config: { batch_shape: [null, 4], dtype: 'float32', name: 'x' },
  registered_name: null,
  name: 'x',
  inbound_nodes: [],
};
const op = (className: string, args: unknown[], module: string | undefined = 'keras.src.ops.numpy') => ({
  ...(module === undefined ? {} : { module, registered_name: className }),
  class_name: className,
  config: { name: 'op' },
  name: 'op',
  inbound_nodes: [{ args, kwargs: {} }],
});
const model = (layer: unknown) => ({
  module: 'keras.src.models.functional',
  class_name: 'Functional',
  config: { name: 'm', layers: [input, layer], input_layers: [['x', 0, 0]], output_layers: [['op', 0, 0]] },
  registered_name: 'Functional',
});
const layers = (topology: unknown) => (topology as { config: { layers: Record<string, unknown>[] } }).config.layers;

describe('Keras operation nodes (keras.src.ops.numpy) as TF.js layers', () => {
  it('x + 3.0 and 3.0 * x are Rescaling layers computing the same float operation', () => {
    const added = layers(topologyFromKeras(model(op('Add', [tensor('x'), 3])), 'f'))[1];
    expect(added).toMatchObject({
      class_name: 'Rescaling',
      config: { scale: 1, offset: 3 },
      inbound_nodes: [[['x', 0, 0, {}]]],
    });
    const scaled = layers(topologyFromKeras(model(op('Multiply', [0.5, tensor('x')])), 'f'))[1];
    expect(scaled).toMatchObject({ class_name: 'Rescaling', config: { scale: 0.5, offset: 0 } });
  });

  it('two tensors are the Add / Multiply merge layers; a legacy .h5 op (no module) too', () => {
    const sum = layers(topologyFromKeras(model(op('Add', [tensor('x'), tensor('x')])), 'f'))[1];
    expect(sum).toMatchObject({
      class_name: 'Add',
      inbound_nodes: [
        [
          ['x', 0, 0, {}],
          ['x', 0, 0, {}],
        ],
      ],
    });
    const legacy = layers(topologyFromKeras(model(op('Multiply', [tensor('x'), tensor('x')], undefined)), 'f'))[1];
    expect(legacy).toMatchObject({ class_name: 'Multiply' });
  });

  it('refuses other operations and other arguments, naming them', () => {
    const refusal = (layer: unknown) => {
      try {
        topologyFromKeras(model(layer), 'f.keras');
      } catch (e) {
        expect(e).toBeInstanceOf(ModelFileError);
        return (e as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refusal(op('Subtract', [tensor('x'), 1]))).toMatch(
      /"op" is the Keras operation keras\.src\.ops\.numpy\.Subtract/,
    );
    expect(refusal(op('Add', [tensor('x'), 'three']))).toMatch(/takes a tensor and a finite number/);
    expect(refusal(op('Add', [tensor('x')]))).toMatch(/must take two arguments/);
  });
});
