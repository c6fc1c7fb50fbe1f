import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { BROADCAST_ROWS } from '../kernels/broadcast_rows.js';
import { leadingAxes } from '../leading_axes.js';
import { onWasmWithSimd, overrideWasmGradient } from './override.js';

/**
 * The gradient of a sum or mean over leading axes (batch-norm moments take
 * two per layer): dy, scaled, copied to every row in one SIMD pass.
 * tfjs-core's multiplies by `ones(x.shape)`, a JS array of the whole
 * activation built and uploaded each time (about 80 MB per ResNet-20 step,
 * with the page faults and garbage collection that go with it).
 */
function broadcastGradient(mean: boolean) {
  return (dy: Tensor, saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const leading = leadingAxes(x.shape, attrs['axis'] as number | number[]);
    if (!onWasmWithSimd() || leading === 0 || x.dtype !== 'float32' || dy.dtype !== 'float32') return null;
    const rows = tf.util.sizeFromShape(x.shape.slice(0, leading));
    return {
      x: () => tf.engine().runKernel<Tensor>(BROADCAST_ROWS, { v: dy }, { shape: x.shape, scale: mean ? 1 / rows : 1 }),
    };
  };
}

/** Mean's and Sum's gradients on wasm with the SIMD kernels, for leading axes; elsewhere tfjs-core's. */
export function registerReductionGradients(): void {
  overrideWasmGradient(tf.Mean, broadcastGradient(true));
  overrideWasmGradient(tf.Sum, broadcastGradient(false));
}
