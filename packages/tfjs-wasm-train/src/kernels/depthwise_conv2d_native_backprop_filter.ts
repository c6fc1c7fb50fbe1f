import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { assertFloat32 } from '../conv_guards.js';
import { type WasmKernelArgs, heapF32, shape4d, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ x: TensorInfo; dy: TensorInfo }, DepthwiseConv2dNativeBackpropFilterAttrs>;

/**
 * dW of a depthwise convolution (missing on wasm): per channel, the
 * correlation of x with dy, accumulated in float64. One JS pass over dy on
 * the wasm heap, channels innermost; any stride, padding, dilation and
 * channel multiplier.
 */
function depthwiseBackpropFilter({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  const name = tf.DepthwiseConv2dNativeBackpropFilter;
  assertFloat32(name, 'x', x.dtype, x.shape);
  assertFloat32(name, 'dy', dy.dtype, dy.shape);
  const info = tf.backend_util.computeConv2DInfo(
    shape4d(tf.DepthwiseConv2dNativeBackpropFilter, 'x', x),
    attrs.filterShape,
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `${name}: dy has shape [${dy.shape}] but x [${x.shape}] with filter [${attrs.filterShape}], ` +
        `strides ${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} gives [${info.outShape}].`,
    );
  }
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const m = attrs.filterShape[3];

  const acc = new Float64Array(filterHeight * filterWidth * c * m);
  const src = heapF32(backend, x);
  const g = heapF32(backend, dy);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < outHeight; i++) {
      for (let j = 0; j < outWidth; j++) {
        const dyBase = ((b * outHeight + i) * outWidth + j) * c * m;
        for (let kh = 0; kh < filterHeight; kh++) {
          const row = i * strideHeight + kh * dilationHeight - top;
          if (row < 0 || row >= inHeight) continue;
          for (let kw = 0; kw < filterWidth; kw++) {
            const col = j * strideWidth + kw * dilationWidth - left;
            if (col < 0 || col >= inWidth) continue;
            const wBase = (kh * filterWidth + kw) * c * m;
            const xBase = ((b * inHeight + row) * inWidth + col) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = src[xBase + ch];
              for (let q = 0; q < m; q++) acc[wBase + ch * m + q] += v * g[dyBase + ch * m + q];
            }
          }
        }
      }
    }
  }
  const out = backend.makeOutput([...attrs.filterShape], 'float32');
  heapF32(backend, out).set(acc);
  return out;
}

export const depthwiseConv2dNativeBackpropFilterConfig = wasmKernel(
  tf.DepthwiseConv2dNativeBackpropFilter,
  depthwiseBackpropFilter,
);
