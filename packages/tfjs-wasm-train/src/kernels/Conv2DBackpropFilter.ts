import * as tf from '@tensorflow/tfjs';
import type { Conv2DBackpropFilterAttrs, TensorInfo } from '@tensorflow/tfjs';
import { conv2dExplicit } from '../conv2d_explicit.js';
import { assertFloat32, assertNHWC, assertNoDilation } from '../conv_guards.js';
import { type WasmKernelArgs, dispose, heapF32, runKernel, shape4d, wasmKernel } from '../wasm_backend.js';

type Args = WasmKernelArgs<
  { x: TensorInfo; dy: TensorInfo },
  Conv2DBackpropFilterAttrs & { dilations?: unknown }
>;

/**
 * dW[kh, kw, ci, co] = sum over n, oh, ow of x[n, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[n, oh, ow, co].
 *
 * That is itself a convolution once batch and channels swap places: the input
 * is x as [ci, h, w, n], the filter is dy as [oh, ow, n, co], the stride
 * becomes a dilation, and the output is [ci, kh, kw, co]. XNNPACK runs it.
 */
function conv2DBackpropFilter({ backend, inputs, attrs }: Args): TensorInfo {
  const { x, dy } = inputs;
  assertNHWC(tf.Conv2DBackpropFilter, attrs.dataFormat);
  assertNoDilation(tf.Conv2DBackpropFilter, attrs.dilations);
  assertFloat32(tf.Conv2DBackpropFilter, 'x', x.dtype, x.shape);
  assertFloat32(tf.Conv2DBackpropFilter, 'dy', dy.dtype, dy.shape);

  const info = tf.backend_util.computeConv2DInfo(
    shape4d(tf.Conv2DBackpropFilter, 'x', x),
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  if (dy.shape.join() !== info.outShape.join()) {
    throw new Error(
      `Conv2DBackpropFilter: dy has shape [${dy.shape}] but x [${x.shape}] with filter [${attrs.filterShape}], ` +
        `strides ${JSON.stringify(attrs.strides)} and pad ${JSON.stringify(attrs.pad)} gives [${info.outShape}].`,
    );
  }

  const xT = runKernel(backend, 'Transpose', { x }, { perm: [3, 1, 2, 0] });
  const dyT = runKernel(backend, 'Transpose', { x: dy }, { perm: [1, 2, 0, 3] });
  const { top, left } = info.padInfo;
  const grad = conv2dExplicit(
    backend,
    xT,
    dyT,
    {
      top,
      left,
      bottom: filterHeight + (outHeight - 1) * strideHeight - inHeight - top,
      right: filterWidth + (outWidth - 1) * strideWidth - inWidth - left,
    },
    [strideHeight, strideWidth],
  );
  dispose(backend, xT, dyT);
  if (grad === null) {
    // No output position saw any input pixel: the gradient is zero.
    const zeros = backend.makeOutput([...attrs.filterShape], 'float32');
    heapF32(backend, zeros).fill(0);
    return zeros;
  }
  const out = runKernel(backend, 'Transpose', { x: grad }, { perm: [1, 2, 0, 3] });
  dispose(backend, grad);
  return out;
}

export const conv2DBackpropFilterConfig = wasmKernel(tf.Conv2DBackpropFilter, conv2DBackpropFilter);
