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
 * The kernel a backend may register for every variable's momentum update
 * of a step at once (tfjs-skip-onednn does): inputs `value0`,
 * `accumulation0`, `gradient0`, `value1`, ... for `count` variables,
 * attributes those of {@link MOMENTUM_UPDATE} and `count`, outputs
 * `[value0', accumulation0', value1', ...]`. One kernel call a step where
 * {@link MOMENTUM_UPDATE} makes one a variable (each call costs tfjs-core's
 * bookkeeping, about as much as a small variable's update itself).
 */
export const MOMENTUM_UPDATES = 'TfjsSkipMomentumUpdates';

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

  /**
   * Applies one momentum update to each variable: with the backend's
   * {@link MOMENTUM_UPDATES} kernel where it has one (one call), else its
   * {@link MOMENTUM_UPDATE} (one a variable), else MomentumOptimizer's ops.
   */
  override applyGradients(variableGradients: Parameters<tf.MomentumOptimizer['applyGradients']>[0]): void {
    const backend = tf.getBackend();
    const all = tf.getKernel(MOMENTUM_UPDATES, backend) !== undefined;
    if (!all && tf.getKernel(MOMENTUM_UPDATE, backend) === undefined) {
      super.applyGradients(variableGradients);
      return;
    }
    const s = momentumState(this);
    const named = Array.isArray(variableGradients)
      ? variableGradients.map(({ name, tensor }) => [name, tensor] as const)
      : Object.entries(variableGradients);
    const attrs = { learningRate: s.learningRate, momentum: s.momentum, useNesterov: s.useNesterov };
    tf.tidy(() => {
      const updates: { value: tf.Variable; accumulation: tf.Variable; gradient: tf.Tensor }[] = [];
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name]!;
        s.accumulations[i] ??= {
          originalName: `${name}/momentum`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        if (gradient != null) updates.push({ value, accumulation: s.accumulations[i]!.variable, gradient });
      });
      if (updates.length === 0) return;
      const outputs = all
        ? (tf.engine().runKernel(
            MOMENTUM_UPDATES,
            Object.fromEntries(
              updates.flatMap(({ value, accumulation, gradient }, i) => [
                [`value${i}`, value],
                [`accumulation${i}`, accumulation],
                [`gradient${i}`, gradient],
              ]),
            ),
            { ...attrs, count: updates.length },
          ) as tf.Tensor[])
        : updates.flatMap((inputs) => tf.engine().runKernel(MOMENTUM_UPDATE, { ...inputs }, attrs) as tf.Tensor[]);
      updates.forEach(({ value, accumulation }, i) => {
        accumulation.assign(outputs[2 * i + 1]!);
        value.assign(outputs[2 * i]!);
      });
    });
    this.incrementIterations();
  }
}
tf.serialization.registerClass(Momentum);
