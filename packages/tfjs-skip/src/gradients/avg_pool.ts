import * as tf from '@tensorflow/tfjs';
import type { AvgPool3DAttrs, AvgPoolAttrs, NamedAttrMap, Tensor } from '@tensorflow/tfjs';

/** One spatial axis of a pooling window: its output length, stride, window size, padding before, input length. */
interface PoolAxis {
  readonly out: number;
  readonly stride: number;
  readonly size: number;
  readonly before: number;
  readonly length: number;
}

/** How many input cells each window covers along one axis (fewer than `size` where it overlaps the padding). */
function coveredAlong({ out, stride, size, before, length }: PoolAxis): number[] {
  return Array.from({ length: out }, (_, o) => {
    const start = o * stride - before;
    return Math.min(length, start + size) - Math.max(0, start);
  });
}

/**
 * `window size / cells covered` for every output position of an average pool
 * over `axes` (row-major over the output positions); null when every window
 * lies wholly inside the input ('valid' padding, or 'same' where the padding
 * is never reached), where the forward pass divides by the window size too.
 */
export function windowScale(axes: readonly PoolAxis[]): number[] | null {
  const covered = axes.map(coveredAlong);
  if (covered.every((counts, i) => counts.every((count) => count === axes[i].size))) return null;
  const size = axes.reduce((product, axis) => product * axis.size, 1);
  // The cells a window covers are the product of what it covers along each axis.
  let counts = [1];
  for (const along of covered) counts = counts.flatMap((count) => along.map((c) => count * c));
  return counts.map((count) => size / count);
}

/** The spatial axes of a 2D average pool of `x` (NHWC), as the AvgPoolGrad kernels compute them. */
function axes2d(x: Tensor, attrs: AvgPoolAttrs): PoolAxis[] {
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
  );
  return heightWidth(info);
}

/** The height and width axes of a 2D or 3D pool's geometry. */
function heightWidth(info: tf.backend_util.Conv2DInfo | tf.backend_util.Conv3DInfo): PoolAxis[] {
  return [
    {
      out: info.outHeight,
      stride: info.strideHeight,
      size: info.filterHeight,
      before: info.padInfo.top,
      length: info.inHeight,
    },
    {
      out: info.outWidth,
      stride: info.strideWidth,
      size: info.filterWidth,
      before: info.padInfo.left,
      length: info.inWidth,
    },
  ];
}

/** The spatial axes of a 3D average pool of `x` (NDHWC), as the AvgPool3DGrad kernels compute them. */
function axes3d(x: Tensor, attrs: AvgPool3DAttrs): PoolAxis[] {
  const info = tf.backend_util.computePool3DInfo(
    x.shape as [number, number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return [
    {
      out: info.outDepth,
      stride: info.strideDepth,
      size: info.filterDepth,
      before: info.padInfo.front,
      length: info.inDepth,
    },
    ...heightWidth(info),
  ];
}

/** Marks a gradient function as this module's. */
const CORRECTED = Symbol.for('tfjs-skip.correctedAvgPoolGradient');

/**
 * Replaces tfjs-core's gradient of an average pool with one that agrees with
 * its forward pass where a window overlaps the padding.
 *
 * TF.js averages a window over the input cells it covers (as TensorFlow's
 * `avg_pool` does, and Keras's `AveragePooling2D(padding='same')`), but its
 * gradient, on every backend (the AvgPoolGrad / AvgPool3DGrad kernels of cpu,
 * webgl, wasm), divides each dy by the full window size: at the borders of a
 * 'same' pool, the input gets `covered / size` of its true gradient (4/9 at a
 * corner of a 3x3 window). NASNet's cells pool 3x3 'same' throughout, and its
 * one-step update drifted 1.29x from Keras's. The gradient is the kernel's
 * own, given dy scaled by `size / covered` per window: exactly what the
 * forward pass divided by, and tfjs-core's unchanged (the same kernels, the
 * same bits) where no window reaches the padding.
 */
function correctAvgPoolGradient(kernelName: string, axesOf: (x: Tensor, attrs: NamedAttrMap) => PoolAxis[]): void {
  const original = tf.getGradient(kernelName);
  if (original === undefined) throw new Error(`tfjs-core registers no gradient for ${kernelName} to correct`);
  // Once per process, even when two copies of this module load (a bundle and its source): scaling twice is wrong.
  if ((original.gradFunc as { [CORRECTED]?: true })[CORRECTED]) return;
  const gradFunc = (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = axesOf(x, attrs);
    const scale = windowScale(axes);
    // dy of another output shape (a 2D pool with a dimRoundingMode, which tfjs-core's gradient drops too):
    // the windows are not the ones counted here, so tfjs-core's gradient stands.
    const outputs = axes.map((axis) => axis.out).join();
    if (scale === null || Array.isArray(dy) || dy.shape.slice(1, -1).join() !== outputs) {
      return original.gradFunc(dy, saved, attrs);
    }
    return {
      x: () =>
        tf.tidy(() => {
          const perWindow = tf.tensor(scale, [1, ...axes.map((axis) => axis.out), 1]);
          return original.gradFunc(tf.mul(dy, perWindow), saved, attrs)['x']!();
        }),
    };
  };
  tf.registerGradient({ ...original, gradFunc: Object.assign(gradFunc, { [CORRECTED]: true as const }) });
}

correctAvgPoolGradient(tf.AvgPool, (x, attrs) => axes2d(x, attrs as unknown as AvgPoolAttrs));
correctAvgPoolGradient(tf.AvgPool3D, (x, attrs) => axes3d(x, attrs as unknown as AvgPool3DAttrs));
