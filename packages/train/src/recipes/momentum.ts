import * as tf from '@tensorflow/tfjs';
import { momentumState } from 'tfjs-skip-internals';

/**
 * The kernel a backend may register for one variable's momentum update
 * (tfjs-skip-onednn does): inputs `{value, accumulation, gradient}`,
 * attributes `learningRate`, `momentum`, `useNesterov`, outputs
 * `[value', accumulation']`.
 */
export const MOMENTUM_UPDATE = 'TfjsSkipMomentumUpdate';

/**
 * TF.js's MomentumOptimizer (same class name, config, weights and formula),
 * whose update of each variable is one {@link MOMENTUM_UPDATE} kernel call
 * where the backend has one, instead of five ops. Elsewhere it is
 * MomentumOptimizer's own update. Registered in its place, so a model saved
 * with its optimizer resumes with this one.
 */
export class Momentum extends tf.MomentumOptimizer {
  static override get className(): string {
    return 'Momentum';
  }

  /** Applies one momentum update to each variable, with the backend's fused kernel where it has one. */
  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    if (tf.getKernel(MOMENTUM_UPDATE, tf.getBackend()) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = momentumState(this);
    const named = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor] as const)
      : Object.entries(variableGradients);
    tf.tidy(() => {
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        s.accumulations[i] ??= {
          originalName: `${name}/momentum`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        if (gradient == null) return;
        const accumulation = s.accumulations[i]!.variable;
        const [newValue, newAccumulation] = tf
          .engine()
          .runKernel(
            MOMENTUM_UPDATE,
            { value, accumulation, gradient },
            { learningRate: s.learningRate, momentum: s.momentum, useNesterov: s.useNesterov },
          ) as tf.Tensor[];
        accumulation.assign(newAccumulation!);
        value.assign(newValue!);
      });
    });
    this.incrementIterations();
  }
}
tf.serialization.registerClass(Momentum);
