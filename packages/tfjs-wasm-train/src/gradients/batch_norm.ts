import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { BATCH_NORM_GRAD } from '../kernels/batch_norm_grad.js';
import { onWasmWithSimd, overrideWasmGradient } from './override.js';

/** Per-channel float32 statistics of a float32 activation. */
function perChannel(x: Tensor, ...stats: Array<Tensor | undefined>): boolean {
  const channels = x.shape[x.shape.length - 1];
  return (
    x.rank >= 2 &&
    x.dtype === 'float32' &&
    stats.every((t) => t === undefined || (t.rank === 1 && t.shape[0] === channels && t.dtype === 'float32'))
  );
}

/**
 * FusedBatchNorm's gradient on wasm with the SIMD kernels: this package's
 * fused kernel (two passes over the activations instead of about fourteen).
 * Elsewhere, tfjs-core's.
 *
 * Not a second copy of `BATCH_NORM_TRAIN_GRAD` (tfjs-skip's batch norm on
 * the batch's own statistics, differentiated through them in closed form):
 * this is the gradient of `tf.batchNorm` with the mean and variance as
 * inputs, which tfjs-core then carries back through `tf.moments` itself. It
 * serves every batch norm that does not go through tfjs-skip's op: a model
 * of tfjs-layers' own BatchNormalization, one normalizing another axis or
 * without gamma or beta, a program calling `tf.batchNorm`. The two kernels
 * share their per-channel sums (`kernels/batch_norm_factors.ts`).
 */
export function registerBatchNormGradient(): void {
  overrideWasmGradient(tf.FusedBatchNorm, (dy, saved, attrs) => {
    const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
    if (!onWasmWithSimd() || !perChannel(x, mean, variance, scale)) return null;
    // Computed now, not in the first closure: the tape runs each closure in its own tidy, which
    // would dispose the outputs the others return. These live in the backward pass's scope.
    const grads = tf
      .engine()
      .runKernel<Tensor[]>(BATCH_NORM_GRAD, { dy, x, mean, variance, ...(scale !== undefined && { scale }) }, attrs);
    const grad = (i: number) => () => grads[i];
    return { x: grad(0), mean: grad(1), variance: grad(2), scale: grad(3), offset: grad(4) };
  });
}
