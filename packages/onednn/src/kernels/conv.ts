import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { type OnednnBackend, f32, nativeInputs, output } from '../backend.js';
import { addon } from '../native.js';
import { geometry } from './geometry.js';

type Shape4 = [number, number, number, number];
type Geometry = Parameters<typeof tf.backend_util.computeConv2DInfo>;

/** The activations oneDNN fuses as a post-op (TF.js's names); `prelu` is not one of them. */
const FUSED = new Set(['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid']);

/** A convolution's window, as the attributes of TF.js's convolution kernels and their gradients give it. */
export interface ConvWindow {
  strides: Geometry[2];
  pad: Geometry[4];
  /** Depthwise kernels and the forward ones have them; the dense gradients are of undilated convolutions. */
  dilations?: Geometry[3];
  dimRoundingMode?: Geometry[5];
  /** The dense kernels have it; depthwise ones are channels-last. */
  dataFormat?: 'NHWC' | 'NCHW' | undefined;
}

/** TF.js's description of the convolution of `inputShape` by `filterShape` through `window`. */
function convInfo(
  inputShape: readonly number[],
  filterShape: readonly number[],
  window: ConvWindow,
  depthwise: boolean,
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    inputShape as Shape4,
    filterShape as Shape4,
    window.strides,
    window.dilations ?? 1,
    window.pad,
    window.dimRoundingMode,
    depthwise,
    tf.backend_util.convertConv2DDataFormat(window.dataFormat ?? 'NHWC'),
  );
}

export interface ConvCall extends ConvWindow {
  x: TensorInfo;
  filter: TensorInfo;
  bias?: TensorInfo | undefined;
  activation?: string | undefined;
  leakyreluAlpha?: number | undefined;
  depthwise: boolean;
}

/**
 * conv(x, filter) (+ bias, then the activation) on oneDNN, for Conv2D,
 * FusedConv2D, DepthwiseConv2dNative and FusedDepthwiseConv2D; null when
 * the call is not one it takes (the caller runs the cpu kernel).
 */
export function nativeConv(backend: OnednnBackend, call: ConvCall): TensorInfo | null {
  const { x, filter, bias, depthwise } = call;
  const activation = call.activation ?? 'linear';
  if (!nativeInputs(x, filter) || x.shape.length !== 4 || filter.shape.length !== 4 || !FUSED.has(activation)) {
    return null;
  }
  const info = convInfo(x.shape, filter.shape, call, depthwise);
  const g = geometry(info, depthwise ? info.inChannels : 1);
  if (g === null) return null;
  if (bias !== undefined && (!nativeInputs(bias) || tf.util.sizeFromShape(bias.shape) !== info.outChannels))
    return null;
  const [y, values] = output(backend, info.outShape);
  addon().conv2d(
    g,
    activation,
    call.leakyreluAlpha ?? 0.2,
    f32(backend, x),
    f32(backend, filter),
    bias === undefined ? null : f32(backend, bias),
    values,
  );
  return y;
}

/**
 * The gradient of a convolution of an input of `window.inputShape` with respect to that input
 * (Conv2DBackpropInput, DepthwiseConv2dNativeBackpropInput), or null (the caller runs the cpu kernel).
 */
export function nativeConvBackpropInput(
  backend: OnednnBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  window: ConvWindow & { inputShape: readonly number[] },
  depthwise: boolean,
): TensorInfo | null {
  if (!nativeInputs(dy, filter)) return null;
  const info = convInfo(window.inputShape, filter.shape, window, depthwise);
  const g = geometry(info, depthwise ? info.inChannels : 1);
  if (g === null) return null;
  const [dx, values] = output(backend, info.inShape);
  addon().conv2dBackpropInput(g, f32(backend, dy), f32(backend, filter), values);
  return dx;
}

/**
 * The gradient of a convolution by a filter of `window.filterShape` with respect to that filter
 * (Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter), or null (the caller runs the cpu kernel).
 */
export function nativeConvBackpropFilter(
  backend: OnednnBackend,
  x: TensorInfo,
  dy: TensorInfo,
  window: ConvWindow & { filterShape: readonly number[] },
  depthwise: boolean,
): TensorInfo | null {
  if (!nativeInputs(x, dy)) return null;
  const info = convInfo(x.shape, window.filterShape, window, depthwise);
  const g = geometry(info, depthwise ? info.inChannels : 1);
  if (g === null) return null;
  const [dfilter, values] = output(backend, info.filterShape);
  addon().conv2dBackpropFilter(g, f32(backend, x), f32(backend, dy), values);
  return dfilter;
}
