import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { kernelsFor } from '../threads/kernels_for.js';
import { ADAM_UPDATE } from 'tfjs-skip-train/recipes';
import { type WasmKernelArgs, heapF32, heapOffset, wasmKernel } from '../wasm_backend.js';

export interface AdamUpdateAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  /** 1 - beta1^t and 1 - beta2^t, the bias corrections of this step (float32 values). */
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

type Args = WasmKernelArgs<{ value: TensorInfo; m: TensorInfo; v: TensorInfo; gradient: TensorInfo }, AdamUpdateAttrs>;

/**
 * [value', m', v'] of one Adam step on a float32 variable, in one pass (a
 * SIMD pass split across the kernel threads; JavaScript without the SIMD
 * kernels), where tfjs-core's AdamOptimizer makes thirteen ops.
 */
function adamUpdate({ backend, inputs, attrs }: Args): TensorInfo[] {
  const { value, m, v, gradient } = inputs;
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32' || !tf.util.arraysEqual(t.shape, value.shape)) {
      throw new Error(
        `${ADAM_UPDATE}: every input must be float32 of the variable's shape [${value.shape}]; ` +
          `'${name}' is ${t.dtype} [${t.shape}].`,
      );
    }
  }
  const count = tf.util.sizeFromShape(value.shape);
  const { beta1, beta2, epsilon, learningRate, oneMinusAccBeta1: c1, oneMinusAccBeta2: c2 } = attrs;
  const [d1, d2] = [Math.fround(1 - beta1), Math.fround(1 - beta2)];
  const outs = [value, m, v].map(() => backend.makeOutput([...value.shape], 'float32'));
  const [outValue, outM, outV] = outs as [TensorInfo, TensorInfo, TensorInfo];
  const simd = kernelsFor(backend);
  if (simd !== null) {
    const at = (t: TensorInfo) => heapOffset(backend, t);
    simd.adamUpdate(
      at(value),
      at(m),
      at(v),
      at(gradient),
      count,
      beta1,
      beta2,
      d1,
      d2,
      epsilon,
      learningRate,
      c1,
      c2,
      at(outValue),
      at(outM),
      at(outV),
    );
    return outs;
  }
  const [x, mm, vv, g] = [value, m, v, gradient].map((t) => heapF32(backend, t));
  const [ox, om, ov] = outs.map((t) => heapF32(backend, t));
  const f = Math.fround;
  for (let i = 0; i < count; i++) {
    const gi = g![i]!;
    const mi = f(f(mm![i]! * beta1) + f(gi * d1));
    const vi = f(f(vv![i]! * beta2) + f(f(gi * gi) * d2));
    const step = f(f(mi / c1) / f(f(Math.sqrt(f(vi / c2))) + epsilon));
    ox![i] = f(step * -learningRate) + x![i]!;
    om![i] = mi;
    ov![i] = vi;
  }
  return outs;
}

export const adamUpdateConfig = wasmKernel(ADAM_UPDATE, adamUpdate);
