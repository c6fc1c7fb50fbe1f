import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { ONEDNN } from './backend.js';
import { RELU_GRAD } from './kernels/relu_grad.js';

/** Gradients by input name, as a GradConfig's gradFunc returns them. */
type InputGradients = Record<string, () => Tensor>;

/**
 * Replaces tfjs-core's gradient of `kernelName` with one that runs `fast`
 * on the onednn backend and tfjs-core's (or whichever was registered before)
 * everywhere else, or when `fast` returns null.
 */
function overrideOnOnednn(
  kernelName: string,
  fast: (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => InputGradients | null,
): void {
  const original = tf.getGradient(kernelName);
  if (original === undefined) return;
  const config: GradConfig = {
    ...original,
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) =>
      (tf.getBackend() === ONEDNN && !Array.isArray(dy) ? fast(dy, saved, attrs) : null) ??
      original.gradFunc(dy, saved, attrs),
  };
  tf.registerGradient(config);
}

let registered = false;

/**
 * The gradients the onednn backend computes in fewer kernels than
 * tfjs-core's: Relu's as one pass ({@link RELU_GRAD}) instead of Step, Cast
 * and Multiply. Once per process; other backends keep tfjs-core's.
 */
export function registerOnednnGradients(): void {
  if (registered) return;
  registered = true;
  overrideOnOnednn(tf.Relu, (dy, saved) => {
    const [x] = saved as [Tensor];
    if (x.dtype !== 'float32' || dy.dtype !== 'float32' || x.size === 0) return null;
    return { x: () => tf.engine().runKernel<Tensor>(RELU_GRAD, { dy, x }) };
  });
}
