import * as tf from '@tensorflow/tfjs';

/** An optimizer by name and hyper-parameters (TF.js's `tf.train.*` defaults where omitted). */
export type OptimizerSpec =
  | { name: 'sgd'; learningRate: number }
  | { name: 'momentum'; learningRate: number; momentum: number; useNesterov?: boolean }
  | { name: 'adam'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number };

/** Builds the `tf.Optimizer` a spec names; an optimizer instance is returned as it is. */
export function makeOptimizer(spec: OptimizerSpec | tf.Optimizer): tf.Optimizer {
  if (spec instanceof tf.Optimizer) return spec;
  switch (spec.name) {
    case 'sgd':
      return tf.train.sgd(spec.learningRate);
    case 'momentum':
      return tf.train.momentum(spec.learningRate, spec.momentum, spec.useNesterov ?? false);
    case 'adam':
      return tf.train.adam(spec.learningRate, spec.beta1, spec.beta2, spec.epsilon);
    default:
      throw new Error(
        `Unknown optimizer ${JSON.stringify(spec)}; expected {name: 'sgd' | 'momentum' | 'adam', ...} or a ` +
          `tf.Optimizer.`,
      );
  }
}
