import * as tf from '@tensorflow/tfjs';

/** How `--weight-decay` is applied. */
export const DECAY_MODES = ['l2', 'decoupled'] as const;
/** One of {@link DECAY_MODES}. */
export type DecayMode = (typeof DECAY_MODES)[number];

/** Weight decay of a run. */
export interface WeightDecaySpec {
  /** 0 turns decay off. */
  readonly rate: number;
  /**
   * `l2`: `rate * w` is added to each gradient before the optimizer sees it,
   * the gradient of `rate/2 * |w|^2` (He et al. 2016; PyTorch's SGD
   * `weight_decay`). `decoupled`: after the optimizer step,
   * `w -= learningRate * rate * w` (Loshchilov and Hutter 2019, AdamW;
   * PyTorch's `AdamW`), independent of the optimizer's scaling.
   */
  readonly mode: DecayMode;
  /** Decay BatchNorm's gamma and beta and all biases too (true), or only kernels (false). */
  readonly includeBnAndBias: boolean;
}

/**
 * The variables weight decay applies to: all of them, or, when BatchNorm
 * parameters and biases are excluded, those of rank 2 and more (conv and
 * dense kernels). Every bias, gamma and beta is a vector; every kernel is not.
 */
export function decayedVariables(variables: readonly tf.Variable[], spec: WeightDecaySpec): tf.Variable[] {
  if (spec.rate === 0) return [];
  return spec.includeBnAndBias ? [...variables] : variables.filter((v) => v.rank >= 2);
}

/**
 * `l2` mode: the gradients with `rate * w` added for each decayed variable
 * (new tensors; the others passed through).
 */
export function withL2Gradients(
  grads: tf.NamedTensorMap,
  decayed: readonly tf.Variable[],
  rate: number,
): tf.NamedTensorMap {
  const out: tf.NamedTensorMap = { ...grads };
  for (const v of decayed) {
    const g = grads[v.name];
    if (g) out[v.name] = tf.add(g, tf.mul(v, rate));
  }
  return out;
}

/** `decoupled` mode, after the optimizer step: `w <- w * (1 - learningRate * rate)` for each decayed variable. */
export function applyDecoupledDecay(decayed: readonly tf.Variable[], learningRate: number, rate: number): void {
  const factor = 1 - learningRate * rate;
  tf.tidy(() => {
    for (const v of decayed) v.assign(tf.mul(v, factor));
  });
}
