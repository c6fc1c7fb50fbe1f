import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dropPath, highway, layerScale, shortcut } from './blocks/index.js';
import { ConfigError } from './errors.js';
import { skipConnection } from './skip_connection.js';

/** One layer of every class tfjs-skip registers, with the input each takes. */
const layers = () => [
  { layer: skipConnection({ mainPath: [tf.layers.dense({ units: 4 })] }), shape: [2, 4] },
  { layer: shortcut({ filters: 8, strides: 2 }), shape: [1, 4, 4, 4] },
  { layer: highway(), shape: [2, 4] },
  { layer: dropPath({ rate: 0.5 }), shape: [2, 4] },
  { layer: layerScale(), shape: [2, 4] },
];

describe('the one input rule of tfjs-skip layers', () => {
  it.each(layers().map((c) => [c.layer.getClassName(), c] as const))(
    '%s takes one tensor, alone or in a list of one',
    (_, { layer, shape }) => {
      const x = tf.ones(shape);
      const alone = layer.apply(x, { training: false }) as tf.Tensor;
      const listed = layer.apply([x], { training: false }) as tf.Tensor;
      expect(listed.shape).toEqual(alone.shape);
      expect(listed.dataSync()).toEqual(alone.dataSync());
      tf.dispose([x, alone, listed]);
    },
  );

  it.each(layers().map((c) => [c.layer.getClassName(), c] as const))(
    '%s refuses two tensors, naming itself',
    (name, { layer, shape }) => {
      const x = tf.ones(shape);
      layer.apply(x); // built for one input
      const before = tf.memory().numTensors;
      expect(() => layer.call([x, x], {})).toThrow(ConfigError);
      expect(() => layer.call([x, x], {})).toThrow(
        new RegExp(`^${name} "${layer.name}" takes one input tensor, but received 2$`),
      );
      expect(tf.memory().numTensors).toBe(before);
      x.dispose();
    },
  );
});

describe('CompositeLayer weights', () => {
  it.each([
    [
      'SkipConnection',
      () => skipConnection({ mainPath: [tf.layers.dense({ units: 4 }), tf.layers.batchNormalization()] }),
      [2, 4],
    ],
    ['Shortcut', () => shortcut({ filters: 8, strides: 2 }), [1, 4, 4, 4]],
  ] as const)(
    "%s owns its inner layers' weights, freezes them with trainable, and refuses assignment",
    (name, make, shape) => {
      const layer = make();
      const out = layer.apply(tf.ones([...shape])) as tf.Tensor;
      const names = (ws: tf.LayerVariable[]) => ws.map((w) => w.originalName);
      const trainable = names(layer.trainableWeights);
      const frozenBefore = names(layer.nonTrainableWeights);
      expect(trainable.length).toBeGreaterThan(0);
      expect(frozenBefore.some((n) => n.endsWith('moving_mean'))).toBe(true);

      layer.trainable = false;
      expect(layer.trainableWeights).toEqual([]);
      expect(names(layer.nonTrainableWeights)).toEqual([...trainable, ...frozenBefore]);
      layer.trainable = true;
      expect(names(layer.trainableWeights)).toEqual(trainable);

      expect(() => (layer.trainableWeights = [])).toThrow(
        new RegExp(`^${name} ".*" takes its weights from the layers it owns`),
      );
      expect(() => (layer.nonTrainableWeights = [])).toThrow(ConfigError);
      out.dispose();
      const variables = Object.keys(tf.engine().state.registeredVariables).length;
      layer.dispose();
      expect(Object.keys(tf.engine().state.registeredVariables).length).toBe(
        variables - trainable.length - frozenBefore.length,
      );
    },
  );
});
