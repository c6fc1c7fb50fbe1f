import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnBackend, f32, nativeInputs, output } from '../backend.js';
import { addon } from '../native.js';
import { geometry } from './geometry.js';

type Shape4 = [number, number, number, number];
type PoolInfo = Parameters<typeof tf.backend_util.computePool2DInfo>;

export interface PoolAttrs {
  filterSize: PoolInfo[1];
  strides: PoolInfo[2];
  pad: PoolInfo[4];
  dimRoundingMode?: PoolInfo[5];
}

function poolGeometry(x: TensorInfo, attrs: PoolAttrs): number[] | null {
  if (x.shape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(
    x.shape as Shape4,
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return geometry(info);
}

/** Max or average pooling on oneDNN, or null (the caller runs the cpu kernel). */
export function nativePool(
  backend: OnednnBackend,
  kind: 'max' | 'avg',
  x: TensorInfo,
  attrs: PoolAttrs,
): TensorInfo | null {
  if (!nativeInputs(x)) return null;
  const g = poolGeometry(x, attrs);
  if (g === null) return null;
  const [y, values] = output(backend, [g[0]!, g[4]!, g[5]!, g[6]!]);
  addon().pool(g, kind, f32(backend, x), values);
  return y;
}

/** The gradient of max or average pooling with respect to its input x, or null. */
export function nativePoolGrad(
  backend: OnednnBackend,
  kind: 'max' | 'avg',
  x: TensorInfo,
  dy: TensorInfo,
  attrs: PoolAttrs,
): TensorInfo | null {
  if (!nativeInputs(x, dy)) return null;
  const g = poolGeometry(x, attrs);
  if (g === null || !tf.util.arraysEqual(dy.shape, [g[0]!, g[4]!, g[5]!, g[6]!])) return null;
  const [dx, values] = output(backend, x.shape);
  addon().poolGrad(g, kind, f32(backend, x), f32(backend, dy), values);
  return dx;
}
