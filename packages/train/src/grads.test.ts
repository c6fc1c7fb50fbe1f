import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { variableGradsFreeing } from './grads.js';
import { softmaxCrossEntropy } from './loss.js';
import { trainableVariables } from './step.js';

/** Convolutions with batch norm, ReLU and residual sums, then a dense head: seeded, the same every time. */
function residualNet(blocks: number): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 4] });
  let x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(input);
  for (let b = 0; b < blocks; b++) {
    let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', useBias: false }).apply(x);
    y = tf.layers.batchNormalization().apply(y);
    y = tf.layers.activation({ activation: 'relu' }).apply(y);
    x = tf.layers.add().apply([x as tf.SymbolicTensor, y as tf.SymbolicTensor]);
  }
  x = tf.layers.globalAveragePooling2d({}).apply(x);
  const logits = tf.layers.dense({ units: 3 }).apply(x) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: logits });
  trainableVariables(model).forEach((v, i) => v.assign(tf.randomNormal(v.shape, 0, 0.3, 'float32', i + 1)));
  return model;
}

const xs = tf.randomNormal([6, 12, 12, 4], 0, 1, 'float32', 3);
const ys = tf.tensor1d([0, 2, 1, 1, 0, 2], 'int32');
const loss = (model: tf.LayersModel) => () => softmaxCrossEntropy(model.apply(xs, { training: true }) as tf.Tensor, ys);

/** The values of a gradient map, by name. */
const valuesOf = (grads: tf.NamedTensorMap) =>
  Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, Array.from(g.dataSync())]));

describe('variableGradsFreeing', () => {
  it("gives tf.variableGrads' value and gradients, bit for bit, and leaves no tensor behind", () => {
    const model = residualNet(3);
    const vars = trainableVariables(model);
    const expected = tf.variableGrads(loss(model), vars);
    const before = tf.memory().numTensors;
    const actual = variableGradsFreeing(loss(model), vars);
    expect(Object.keys(actual.grads)).toEqual(Object.keys(expected.grads));
    expect(valuesOf(actual.grads)).toEqual(valuesOf(expected.grads));
    expect(actual.value.dataSync()[0]).toBe(expected.value.dataSync()[0]);
    tf.dispose([actual.value, ...Object.values(actual.grads)]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([expected.value, ...Object.values(expected.grads)]);
    model.dispose();
  });

  it('holds far fewer tensor bytes at its peak than tf.variableGrads', async () => {
    const model = residualNet(8);
    const vars = trainableVariables(model);
    type Grads = (f: () => tf.Scalar, v: tf.Variable[]) => { value: tf.Scalar; grads: tf.NamedTensorMap };
    const peak = async (grads: Grads) =>
      (
        await tf.profile(() => {
          const { value, grads: g } = grads(loss(model), vars);
          tf.dispose([value, ...Object.values(g)]);
        })
      ).peakBytes;
    const theirs = await peak(tf.variableGrads);
    const ours = await peak(variableGradsFreeing);
    expect(ours).toBeLessThan(0.7 * theirs);
    model.dispose();
  });

  it('frees what custom gradients compute as it goes, and passes an identity gradient through', () => {
    const a = tf.variable(tf.tensor1d([1, -2, 3]), true, 'grads_test_a');
    const identityTwice = tf.customGrad((x, save) => {
      (save as tf.GradSaveFunc)([x as tf.Tensor]);
      return { value: (x as tf.Tensor).clone(), gradFunc: (dy: tf.Tensor) => [dy] }; // hands back dy itself
    });
    const f = () =>
      tf.sum(tf.mul(identityTwice(tf.square(a)) as tf.Tensor, identityTwice(a) as tf.Tensor)) as tf.Scalar;
    const expected = tf.variableGrads(f, [a]);
    const before = tf.memory().numTensors;
    const actual = variableGradsFreeing(f, [a]);
    expect(Array.from(actual.grads.grads_test_a!.dataSync())).toEqual(
      Array.from(expected.grads.grads_test_a!.dataSync()),
    );
    tf.dispose([actual.value, actual.grads.grads_test_a!]);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([expected.value, expected.grads.grads_test_a!, a]);
  });

  it('is tf.variableGrads inside another gradient (the outer one needs what would be freed)', () => {
    const a = tf.variable(tf.scalar(3), true, 'grads_test_outer');
    // d/da of (d/da a^3) = 6a, through the fallback.
    const outer = tf.grad((x: tf.Tensor) => {
      const { value, grads } = variableGradsFreeing(
        () => tf.mul(tf.pow(a, 3), x.mul(0).add(1)).sum() as tf.Scalar,
        [a],
      );
      value.dispose();
      return tf.mul(grads.grads_test_outer!, x);
    });
    const g = outer(tf.scalar(2));
    expect(g.dataSync()[0]).toBeCloseTo(27, 4); // d/dx of (3a^2 x) at a = 3
    tf.dispose([g, a]);
  });

  it("gives tf.variableGrads' errors, and names non-trainable variables with null", () => {
    const a = tf.variable(tf.scalar(2), true, 'grads_test_err');
    const frozen = tf.variable(tf.scalar(5), false, 'grads_test_frozen');
    const before = tf.memory().numTensors;
    expect(() => variableGradsFreeing(() => tf.scalar(1), [a])).toThrow(
      /Cannot find a connection between any variable/,
    );
    expect(() => variableGradsFreeing(() => tf.mul(a, tf.ones([2])) as unknown as tf.Scalar, [a])).toThrow(
      /must return a scalar, but it returned a rank-1 tensor/,
    );
    expect(tf.memory().numTensors).toBe(before);
    const { value, grads } = variableGradsFreeing(() => tf.mul(a, frozen) as tf.Scalar, [a, frozen]);
    expect(grads.grads_test_frozen).toBeNull();
    expect(grads.grads_test_err!.dataSync()[0]).toBe(5);
    tf.dispose([value, grads.grads_test_err!, a, frozen]);
  });
});
