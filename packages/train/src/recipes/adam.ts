import * as tf from '@tensorflow/tfjs';
import { adamState } from 'tfjs-skip-internals';

/** The kernel a backend may register for one variable's Adam update (tfjs-wasm-train does, for wasm). */
export const ADAM_UPDATE = 'TfjsWasmTrainAdamUpdate';

/**
 * TF.js's AdamOptimizer (same class name, config, weights and formula), whose
 * update of each variable is one {@link ADAM_UPDATE} kernel call where the
 * backend has one, instead of thirteen ops (on wasm: one SIMD pass, split
 * across the kernel threads). Elsewhere it is AdamOptimizer's own update.
 * Registered in AdamOptimizer's place, so a model saved with its optimizer
 * resumes with this one.
 */
export class Adam extends tf.AdamOptimizer {
  static override get className(): string {
    return 'Adam';
  }

  /** Applies one Adam update to each variable, with the backend's fused kernel where it has one. */
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = adamState(this);
    const named = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor] as const)
      : Object.entries(variableGradients);
    tf.tidy(() => {
      // The bias corrections, as AdamOptimizer computes them (float32).
      const oneMinusAccBeta1 = tf.sub(1, s.accBeta1).dataSync()[0]!;
      const oneMinusAccBeta2 = tf.sub(1, s.accBeta2).dataSync()[0]!;
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        const moment = (which: 'm' | 'v') => ({
          originalName: `${name}/${which}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        });
        s.accumulatedFirstMoment[i] ??= moment('m');
        s.accumulatedSecondMoment[i] ??= moment('v');
        if (gradient == null) return;
        const m = s.accumulatedFirstMoment[i]!.variable;
        const v = s.accumulatedSecondMoment[i]!.variable;
        const [newValue, newM, newV] = tf.engine().runKernel(
          ADAM_UPDATE,
          { value, m, v, gradient },
          {
            beta1: s.beta1,
            beta2: s.beta2,
            epsilon: s.epsilon,
            learningRate: s.learningRate,
            oneMinusAccBeta1,
            oneMinusAccBeta2,
          },
        ) as tf.Tensor[];
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.incrementIterations();
  }
}
tf.serialization.registerClass(Adam);
