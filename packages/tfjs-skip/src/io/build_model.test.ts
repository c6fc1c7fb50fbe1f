import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import '../index.js';
import { buildFromTopology } from './build_model.js';
import { ModelFileError } from './model_file_error.js';

/** Three Dense layers; the third names an activation TF.js does not know. */
function failsOnThirdLayer(): tf.io.ModelJSON['modelTopology'] {
  const dense = (name: string, activation: string, extra: object = {}) => ({
    className: 'Dense',
    config: { name, units: 8, activation, ...extra },
  });
  return {
    className: 'Sequential',
    config: {
      name: 'm',
      layers: [
        dense('a', 'relu', { batchInputShape: [null, 8] }),
        dense('b', 'relu'),
        dense('c', 'no_such_activation'),
      ],
    },
  };
}

const variableCount = () => Object.keys(tf.engine().state.registeredVariables).length;

describe('buildFromTopology', () => {
  it('tfjs 4.22 modelFromJSON leaves the variables of the layers it built when a later layer fails', async () => {
    const before = tf.memory().numTensors;
    const variables = variableCount();
    await expect(tf.models.modelFromJSON({ modelTopology: failsOnThirdLayer() })).rejects.toThrow(
      /no_such_activation|noSuchActivation/,
    );
    const leaked = tf.memory().numTensors - before;
    expect(leaked).toBe(4); // a's and b's kernel and bias
    expect(variableCount() - variables).toBe(4);
    // Clean up what TF.js left, so later tests start even.
    const names = Object.keys(tf.engine().state.registeredVariables).slice(variables);
    names.forEach((n) => tf.engine().state.registeredVariables[n].dispose());
    expect(tf.memory().numTensors).toBe(before);
  });

  it('disposes everything a failed build created, and raises bad-config quoting TF.js', async () => {
    const before = tf.memory().numTensors;
    const variables = variableCount();
    const error = await Promise.resolve()
      .then(() => buildFromTopology(failsOnThirdLayer(), 'm.json'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFileError);
    expect((error as ModelFileError).problem).toBe('bad-config');
    expect((error as Error).message).toMatch(/^m\.json: TF\.js cannot build the model: .*noSuchActivation/);
    expect(tf.memory().numTensors).toBe(before);
    expect(variableCount()).toBe(variables);
  });

  it('keeps exactly the weights of a model it builds, and nothing else', () => {
    const topology = failsOnThirdLayer() as { config: { layers: { config: { activation: string } }[] } };
    topology.config.layers[2].config.activation = 'linear';
    const before = tf.memory().numTensors;
    const model = buildFromTopology(topology, 'm.json');
    expect(tf.memory().numTensors - before).toBe(6);
    expect(model.weights).toHaveLength(6);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('does not dispose variables that existed before a failed build', () => {
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [2] })] });
    expect(() => buildFromTopology(failsOnThirdLayer(), 'm.json')).toThrow(ModelFileError);
    expect(other.getWeights().every((w) => !w.isDisposed)).toBe(true);
    expect(tf.tidy(() => (other.predict(tf.ones([1, 2])) as tf.Tensor).sum().dataSync()[0])).toEqual(
      expect.any(Number),
    );
    other.dispose();
  });

  it('does not run the initializers of the config: every weight starts at zero', () => {
    const topology = failsOnThirdLayer() as { config: { layers: { config: Record<string, unknown> }[] } };
    topology.config.layers[2].config['activation'] = 'linear';
    // A VarianceScaling of NaN spread: tfjs's truncated normal would never return.
    topology.config.layers[0].config['kernelInitializer'] = {
      className: 'VarianceScaling',
      config: { scale: 'x', distribution: 'normal' },
    };
    const model = buildFromTopology(topology, 'm.json');
    expect(model.getWeights().every((w) => tf.tidy(() => w.abs().sum().dataSync()[0] === 0))).toBe(true);
    model.dispose();
  });
});
