import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { ContractViolation, checkLayerContract, judgeProbe, type ProbeVerdict } from './layer_contract.js';

const relu = (t: number) => Math.max(0, t);

/** `at` of {@link judgeProbe} for a function of one number, probed at 0. */
const along = (h: (t: number) => number) => (delta: number) => Promise.resolve(h(delta));

/** A disagreement found by the smallest step, whose central difference is `numeric`. */
function expectDisagreement(verdict: ProbeVerdict, numeric: number): void {
  expect(verdict).toMatchObject({ kind: 'disagrees', step: 2.5e-3 });
  expect(verdict.kind === 'disagrees' ? verdict.numeric : NaN).toBeCloseTo(numeric, 4);
}

describe('judgeProbe', () => {
  it('agrees with a right derivative and disagrees with a wrong one of a smooth function', async () => {
    const h = (t: number) => Math.sin(3 * t);
    expect(await judgeProbe(3, h(0), along(h))).toEqual({ kind: 'agrees' });
    expectDisagreement(await judgeProbe(2, h(0), along(h)), 3);
  });

  it('says nothing across a kink closer than the smallest step', async () => {
    const h = (t: number) => relu(t - 1e-3);
    expect(await judgeProbe(0, h(0), along(h))).toEqual({ kind: 'kink' });
    expect(await judgeProbe(5, h(0), along(h))).toEqual({ kind: 'kink' });
  });

  it('sees past two kinks that make the one-sided differences agree on a wrong slope', async () => {
    // Kinks at ±0.006: the 0.01 step crosses both, and its one-sided differences
    // agree on 0.1 + 0.4 * 0.5 = 0.3; the 0.0025 step crosses neither and finds 0.1.
    const h = (t: number) => 0.1 * t + 0.5 * relu(t - 0.006) - 0.5 * relu(-0.006 - t);
    expect(((h(0.01) - h(0)) / 0.01).toFixed(6)).toBe(((h(0) - h(-0.01)) / 0.01).toFixed(6));
    expect(await judgeProbe(0.1, h(0), along(h))).toEqual({ kind: 'agrees' });
    expectDisagreement(await judgeProbe(0.7, h(0), along(h)), 0.1);
  });

  it('trusts the smaller step when the larger one crossed a kink', async () => {
    // A kink at 0.005: only the 0.01 step crosses it; the slope at 0 is 1.
    const h = (t: number) => t - 2 * relu(t - 0.005);
    expect(await judgeProbe(1, h(0), along(h))).toEqual({ kind: 'agrees' });
    expect(await judgeProbe(-1, h(0), along(h))).toMatchObject({ kind: 'disagrees', step: 2.5e-3 });
  });
});

/** y = 2x whose autodiff gradient claims 3: a layer that breaks only the gradient contract. */
class WrongGradient extends tf.layers.Layer {
  static className = 'TfjsSkipTestWrongGradient';
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    return tf.customGrad((input) => ({
      value: tf.mul(input as tf.Tensor, 2),
      gradFunc: (dy: tf.Tensor) => tf.mul(dy, 3),
    }))(x);
  }
}
tf.serialization.registerClass(WrongGradient);

describe('checkLayerContract', () => {
  it('passes a layer that keeps every promise, kinks and all', async () => {
    await checkLayerContract({
      makeLayer: () => tf.layers.dense({ units: 6, activation: 'relu' }),
      inputShape: [5],
      params: 36,
    });
  });

  it('rejects a wrong gradient, quoting both derivatives', async () => {
    const check = checkLayerContract({ makeLayer: () => new WrongGradient({}), inputShape: [4] });
    await expect(check).rejects.toThrow(ContractViolation);
    await expect(checkLayerContract({ makeLayer: () => new WrongGradient({}), inputShape: [4] })).rejects.toThrow(
      /gradient contract: d\/dx\[0\] is -?[\d.]+ by autodiff but -?[\d.]+ by central differences with step 0\.0025/,
    );
  });
});
