import * as tf from '@tensorflow/tfjs';
import type { DepthwiseConv2dNativeBackpropInputAttrs, TensorInfo } from '@tensorflow/tfjs';
import { assertFloat32 } from '../conv_guards.js';
import { type WasmKernelArgs, heapF32, shape4d, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<{ dy: TensorInfo; filter: TensorInfo }, DepthwiseConv2dNativeBackpropInputAttrs>;

/**
 * dx of a depthwise convolution (missing on wasm): every dy pixel adds its
 * channel-multiplier taps back onto the input pixels it saw. One JS pass over
 * dy on the wasm heap, channels innermost; any stride, padding, dilation and
 * channel multiplier.
 */
function depthwiseBackpropInput({ backend, inputs, attrs }: Args): TensorInfo {
  const { dy, filter } = inputs;
  const name = tf.DepthwiseConv2dNativeBackpropInput;
  assertFloat32(name, 'dy', dy.dtype, dy.shape);
  assertFloat32(name, 'filter', filter.dtype, filter.shape);
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    shape4d(tf.DepthwiseConv2dNativeBackpropInput, 'filter', filter),
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
    true,
  );
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `${name}: dy has shape [${dy.shape}] but input [${attrs.inputShape}] with filter [${filter.shape}], ` +
        `strides ${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} gives [${info.outShape}].`,
    );
  }
  const { batchSize, inHeight, inWidth, inChannels: c, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { top, left } = info.padInfo;
  const m = filter.shape[3];

  const out = backend.makeOutput([batchSize, inHeight, inWidth, c], 'float32');
  const g = heapF32(backend, dy);
  const w = heapF32(backend, filter);
  const dx = heapF32(backend, out);
  dx.fill(0);
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
            const dxBase = ((b * inHeight + row) * inWidth + col) * c;
            for (let ch = 0; ch < c; ch++) {
              let acc = 0;
              for (let q = 0; q < m; q++) acc += g[dyBase + ch * m + q] * w[wBase + ch * m + q];
              dx[dxBase + ch] += acc;
            }
          }
        }
      }
    }
  }
  return out;
}

export const depthwiseConv2dNativeBackpropInputConfig = wasmKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
  depthwiseBackpropInput,
);
