import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnBackend, f32, nativeInputs, output } from '../backend.js';
import { addon } from '../native.js';

export interface MatMulCall {
  a: TensorInfo;
  b: TensorInfo;
  bias?: TensorInfo | undefined;
  transposeA: boolean;
  transposeB: boolean;
  activation?: string | undefined;
  leakyreluAlpha?: number | undefined;
}

const FUSED = new Set(['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid']);

/**
 * a b (+ bias, then the activation) on oneDNN's matmul, batch over the
 * leading axes (one side's batch of 1 broadcast); null when the call is not
 * one it takes (the caller runs the cpu kernel, which also reports bad shapes).
 */
export function nativeMatMul(backend: OnednnBackend, call: MatMulCall): TensorInfo | null {
  const { a, b, bias, transposeA, transposeB } = call;
  const activation = call.activation ?? 'linear';
  if (!nativeInputs(a, b) || a.shape.length < 2 || b.shape.length < 2 || !FUSED.has(activation)) return null;
  const [ra, ca] = a.shape.slice(-2) as [number, number];
  const [rb, cb] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ca, ra] : [ra, ca];
  const [kb, n] = transposeB ? [cb, rb] : [rb, cb];
  if (k !== kb) return null;
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);
  if (!(tf.util.arraysEqual(outerA, outerB) || batchA === 1 || batchB === 1)) return null;
  if (
    bias !== undefined &&
    (!nativeInputs(bias) || tf.util.sizeFromShape(bias.shape) !== n || bias.shape.at(-1) !== n)
  ) {
    return null;
  }
  const outer = tf.backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const [y, values] = output(backend, [...outer, m, n]);
  addon().matMul(
    [batchA, batchB, m, n, k, transposeA ? 1 : 0, transposeB ? 1 : 0],
    activation,
    call.leakyreluAlpha ?? 0.2,
    f32(backend, a),
    f32(backend, b),
    bias === undefined ? null : f32(backend, bias),
    values,
  );
  return y;
}
