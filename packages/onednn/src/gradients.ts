import * as tf from '@tensorflow/tfjs';
import type { Tensor } from '@tensorflow/tfjs';
import { overrideGradient } from 'tfjs-skip-train';
import { ONEDNN } from './backend.js';
import { RELU_GRAD } from './kernels/relu_grad.js';

/**
 * The gradients the onednn backend computes in fewer kernels than
 * tfjs-core's: Relu's as one pass ({@link RELU_GRAD}) instead of Step, Cast
 * and Multiply. Once per process; other backends keep tfjs-core's.
 */
export function registerOnednnGradients(): void {
  overrideGradient('tfjs-skip-onednn', tf.Relu, (dy, saved) => {
    const [x] = saved as [Tensor];
    if (tf.getBackend() !== ONEDNN || x.dtype !== 'float32' || dy.dtype !== 'float32' || x.size === 0) return null;
    return { x: () => tf.engine().runKernel<Tensor>(RELU_GRAD, { dy, x }) };
  });
}
