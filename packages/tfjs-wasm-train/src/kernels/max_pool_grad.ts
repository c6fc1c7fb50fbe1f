import * as tf from '@tensorflow/tfjs';
import type { MaxPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { assertFloat32 } from '../conv_guards.js';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, heapF32, heapOffset, shape4d, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ dy: TensorInfo; input: TensorInfo }, MaxPoolGradAttrs>;

/**
 * dx of a 2D max pool: each dy value goes to the first maximum of its window
 * (row-major, as the cpu backend and PyTorch choose). One pass over the
 * windows straight on the wasm heap, four channels at a time with the SIMD
 * module, else in JS. In the toy ResNet's step (scripts/measure.ts) the JS
 * pass took 15 ms, the SIMD one 7.5 ms; the backend's own kernel takes
 * several times longer than the JS one.
 */
function maxPoolGrad({ backend, inputs, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  assertFloat32(tf.MaxPoolGrad, 'input', input.dtype, input.shape);
  assertFloat32(tf.MaxPoolGrad, 'dy', dy.dtype, dy.shape);
  const info = tf.backend_util.computePool2DInfo(
    shape4d(tf.MaxPoolGrad, 'input', input),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  const { top, left } = info.padInfo;
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `MaxPoolGrad: dy has shape [${dy.shape}] but the pool of [${input.shape}] gives [${info.outShape}].`,
    );
  }

  const out = backend.makeOutput([...input.shape], 'float32');
  const simd = kernelsFor(backend);
  if (simd !== null) {
    simd.maxPoolGrad(
      heapOffset(backend, input),
      batchSize,
      inHeight,
      inWidth,
      c,
      heapOffset(backend, dy),
      outHeight,
      outWidth,
      effectiveFilterHeight,
      effectiveFilterWidth,
      strideHeight,
      strideWidth,
      top,
      left,
      heapOffset(backend, out),
    );
    return out;
  }
  const x = heapF32(backend, input);
  const g = heapF32(backend, dy);
  const dx = heapF32(backend, out);
  dx.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < outHeight; i++) {
      const r0 = Math.max(0, i * strideHeight - top);
      const r1 = Math.min(inHeight, i * strideHeight - top + effectiveFilterHeight);
      for (let j = 0; j < outWidth; j++) {
        const c0 = Math.max(0, j * strideWidth - left);
        const c1 = Math.min(inWidth, j * strideWidth - left + effectiveFilterWidth);
        best.fill(-Infinity);
        where.fill(-1);
        for (let r = r0; r < r1; r++) {
          for (let col = c0; col < c1; col++) {
            const p = ((b * inHeight + r) * inWidth + col) * c;
            for (let d = 0; d < c; d++) {
              if (x[p + d] > best[d]) {
                best[d] = x[p + d]!;
                where[d] = p + d;
              }
            }
          }
        }
        for (let d = 0; d < c; d++, o++) {
          if (where[d] >= 0) dx[where[d]] += g[o];
        }
      }
    }
  }
  return out;
}

export const maxPoolGradConfig = wasmKernel(tf.MaxPoolGrad, maxPoolGrad);
