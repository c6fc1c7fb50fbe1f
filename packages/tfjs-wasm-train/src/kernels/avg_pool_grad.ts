import * as tf from '@tensorflow/tfjs';
import type { AvgPoolGradAttrs, TensorInfo } from '@tensorflow/tfjs';
import { assertFloat32 } from '../conv_guards.js';
import { kernelsFor } from '../threads/kernels_for.js';
import { type WasmKernelArgs, heapOffset, runKernel, shape4d, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ dy: TensorInfo; input: TensorInfo }, AvgPoolGradAttrs>;

/**
 * dx of a 2D average pool: every dy value, divided by the window's size
 * (fh * fw, as TF.js's average pool gradient divides), added to each pixel of
 * its window, in one SIMD pass over dy on the wasm heap (split by images
 * across the kernel threads). The zoo's zero-padding shortcuts subsample with
 * a 1x1 pool of stride 2, whose gradient the backend's kernel took 1.7 ms for
 * (ResNet-8, batch 64, 28x28x16). Without the SIMD module the backend's kernel
 * serves.
 */
function avgPoolGrad({ backend, inputs, attrs }: Args): TensorInfo {
  const { dy, input } = inputs;
  const simd = kernelsFor(backend);
  if (simd === null || dy.dtype !== 'float32') return runKernel(backend, tf.AvgPoolGrad, inputs, attrs);
  assertFloat32(tf.AvgPoolGrad, 'input', input.dtype, input.shape);
  const info = tf.backend_util.computePool2DInfo(
    shape4d(tf.AvgPoolGrad, 'input', input),
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
  );
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, filterHeight, filterWidth } = info;
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `AvgPoolGrad: dy has shape [${dy.shape}] but the pool of [${input.shape}] gives [${info.outShape}].`,
    );
  }
  const dx = backend.makeOutput([...input.shape], 'float32');
  simd.avgPoolGrad(
    heapOffset(backend, dy),
    batchSize,
    outHeight,
    outWidth,
    c,
    filterHeight,
    filterWidth,
    strideHeight,
    strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    1 / (filterHeight * filterWidth),
    heapOffset(backend, dx),
    inHeight,
    inWidth,
  );
  return dx;
}

export const avgPoolGradConfig = wasmKernel(tf.AvgPoolGrad, avgPoolGrad);
