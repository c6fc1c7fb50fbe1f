import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { BATCH_NORM_GRAD } from './kernels/BatchNormGrad.js';
import { simdFor } from './simd/module.js';
import { asWasmBackend } from './wasm_backend.js';

let original: GradConfig | undefined;
let ours: GradConfig | undefined;

/** Whether the fused kernel computes this gradient: wasm with its SIMD kernels, per-channel float32 statistics. */
function fusedApplies(x: Tensor, mean: Tensor, variance: Tensor, scale: Tensor | undefined): boolean {
  if (tf.getBackend() !== 'wasm' || simdFor(asWasmBackend(tf.backend()).wasm) === null) return false;
  const channels = x.shape[x.shape.length - 1];
  const perChannel = (t: Tensor | undefined) =>
    t === undefined || (t.rank === 1 && t.shape[0] === channels && t.dtype === 'float32');
  return x.rank >= 2 && x.dtype === 'float32' && perChannel(mean) && perChannel(variance) && perChannel(scale);
}

/**
 * Replaces tfjs-core's gradient of FusedBatchNorm with one that, on wasm with
 * the SIMD kernels, runs this package's fused kernel (two passes over the
 * activations instead of about fourteen) and otherwise calls the original,
 * so other backends and other shapes are unaffected. Idempotent.
 */
export function registerBatchNormGradient(): void {
  const current = tf.getGradient(tf.FusedBatchNorm);
  if (current !== undefined && current === ours) return;
  original = current;
  if (original === undefined) return;
  const fallback = original;
  ours = {
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
      if (Array.isArray(dy) || !fusedApplies(x, mean, variance, scale)) return fallback.gradFunc(dy, saved, attrs);
      // Computed now, not in the first closure: the tape runs each closure in its own tidy, which
      // would dispose the outputs the others return. These live in the backward pass's scope.
      const grads = tf.engine().runKernel(
        BATCH_NORM_GRAD,
        { dy, x, mean, variance, ...(scale !== undefined && { scale }) },
        attrs,
      ) as Tensor[];
      const grad = (i: number) => () => grads[i]!;
      return { x: grad(0), mean: grad(1), variance: grad(2), scale: grad(3), offset: grad(4) };
    },
  };
  tf.registerGradient(ours);
}
