import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { simdFor } from '../simd/module.js';
import { asWasmBackend } from '../wasm_backend.js';

/** Gradients by input name, as a GradConfig's gradFunc returns them. */
export type InputGradients = Record<string, () => Tensor>;

/** A faster gradient for the cases it handles; null hands the call to tfjs-core's. */
export type FastGradient = (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => InputGradients | null;

const ours = new Map<string, GradConfig>();

/** Whether the current backend is wasm with this package's SIMD kernels ready. */
export function onWasmWithSimd(): boolean {
  return tf.getBackend() === 'wasm' && simdFor(asWasmBackend(tf.backend()).wasm) !== null;
}

/**
 * Replaces tfjs-core's gradient of `kernelName` with one that tries `fast`
 * first and calls the original whenever `fast` returns null, so other
 * backends and other shapes keep tfjs-core's gradient. Idempotent.
 */
export function overrideGradient(kernelName: string, fast: FastGradient): void {
  const original = tf.getGradient(kernelName);
  if (original === undefined || original === ours.get(kernelName)) return;
  const config: GradConfig = {
    ...original,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) =>
      (Array.isArray(dy) ? null : fast(dy, saved, attrs)) ?? original.gradFunc(dy, saved, attrs),
  };
  ours.set(kernelName, config);
  tf.registerGradient(config);
}
