import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/** Gradients by input name, as a GradConfig's gradFunc returns them. */
export type InputGradients = Record<string, () => Tensor>;

/** A faster gradient for the cases it handles; null hands the call to the gradient registered before it. */
export type FastGradient = (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => InputGradients | null;

/** The kernels each owner has overridden, so that registering again is a no-op. */
const overridden = new Set<string>();

/**
 * Replaces the registered gradient of `kernelName` (tfjs-core's, or an
 * earlier override) with one that tries `fast` first and calls the one it
 * replaced whenever `fast` returns null: a backend's training kernels
 * (`tfjs-wasm-train`, `tfjs-skip-onednn`) speed up the cases they handle,
 * and every other backend and shape keeps the gradient it had. Once per
 * `owner` and kernel: calling again changes nothing, and two owners'
 * overrides chain.
 */
export function overrideGradient(owner: string, kernelName: string, fast: FastGradient): void {
  const key = `${owner}\u0000${kernelName}`;
  const original = tf.getGradient(kernelName);
  if (original === undefined || overridden.has(key)) return;
  const config: GradConfig = {
    ...original,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) =>
      (Array.isArray(dy) ? null : fast(dy, saved, attrs)) ?? original.gradFunc(dy, saved, attrs),
  };
  overridden.add(key);
  tf.registerGradient(config);
}
