import * as tf from '@tensorflow/tfjs';
import type { LayerContext, OnnxHandler, Produced } from '../context.js';
import type { Attr } from '../graph.js';
import { activate } from './activations.js';

/** A TF.js size setting (`3` or `[3, 3]`) as one number per spatial axis. */
export function perAxis(value: unknown, axes: number): number[] {
  const list = Array.isArray(value) ? (value as number[]) : [value as number];
  return list.length === axes ? list.map(Number) : Array.from({ length: axes }, () => Number(list[0]));
}

/** Refuses a channelsFirst TF.js layer: every layer the export takes computes on channelsLast tensors. */
export function channelsLastOnly(ctx: LayerContext): void {
  const format = ctx.config['dataFormat'];
  if (format != null && format !== 'channelsLast') {
    ctx.fail(`its dataFormat is ${JSON.stringify(format)}`, "build it with dataFormat: 'channelsLast' (the default)");
  }
}

/**
 * ONNX's `pads` (all begins, then all ends) for a window of `kernel`
 * (dilated) sliding with `strides` over `spatial`, TF's way: `'valid'` pads
 * nothing, `'same'` pads `ceil(n / s)` windows' worth, the odd one at the
 * end (TF.js computes no `'causal'` convolution). An unknown size under
 * `'same'` falls back to `auto_pad: 'SAME_UPPER'`, the same rule at run time.
 */
export function windowPads(
  ctx: LayerContext,
  spatial: readonly (number | null)[],
  kernel: readonly number[],
  strides: readonly number[],
  dilations: readonly number[],
): Record<string, Attr> {
  const padding = ctx.config['padding'] ?? 'valid';
  const effective = kernel.map((k, i) => (k - 1) * dilations[i]! + 1);
  if (padding === 'valid') return { pads: [...kernel.map(() => 0), ...kernel.map(() => 0)] };
  if (padding !== 'same') return ctx.fail(`its padding ${JSON.stringify(padding)} is unknown`, "use 'valid' or 'same'");
  if (spatial.some((n) => n == null)) return { auto_pad: 'SAME_UPPER' };
  const totals = spatial.map((n, i) => {
    const size = n as number;
    const s = strides[i]!;
    return Math.max((Math.ceil(size / s) - 1) * s + effective[i]! - size, 0);
  });
  return { pads: [...totals.map((t) => Math.floor(t / 2)), ...totals.map((t) => t - Math.floor(t / 2))] };
}

/** TF.js `[..spatial, in, out]` kernels of an input of rank `rank` -> ONNX's `[out, in, ..spatial]`. */
function toOIHW(rank: number): number[] {
  return [rank - 1, rank - 2, ...Array.from({ length: rank - 2 }, (_, i) => i)];
}

function convolution(ctx: LayerContext): Produced {
  channelsLastOnly(ctx);
  const rank = ctx.input.shape.length;
  const axes = rank - 2;
  const kernelShape = perAxis(ctx.config['kernelSize'], axes);
  const strides = perAxis(ctx.config['strides'] ?? 1, axes);
  const dilations = perAxis(ctx.config['dilationRate'] ?? 1, axes);
  const spatial = ctx.input.shape.slice(1, -1);
  const w = ctx.weight('kernel', (k) => tf.transpose(k, toOIHW(rank)));
  const inputs = [ctx.as(ctx.input, 'channelsFirst'), w, ...(ctx.hasWeight('bias') ? [ctx.weight('bias')] : [])];
  const y = ctx.node('Conv', inputs, {
    kernel_shape: kernelShape,
    strides,
    dilations,
    group: 1,
    ...windowPads(ctx, spatial, kernelShape, strides, dilations),
  });
  return activate(ctx, { name: y, layout: 'channelsFirst' }, ctx.config['activation'], rank);
}

/**
 * A depthwise convolution as a grouped Conv (one group per input channel):
 * TF.js's `[kh, kw, in, multiplier]` kernel is ONNX's `[in * multiplier, 1, kh, kw]`,
 * output channel `c * multiplier + m` in both.
 */
function depthwise(ctx: LayerContext, kernelName: string, withBias: boolean, name = 'Conv'): string {
  const kernelShape = perAxis(ctx.config['kernelSize'], 2);
  const strides = perAxis(ctx.config['strides'] ?? 1, 2);
  const dilations = perAxis(ctx.config['dilationRate'] ?? 1, 2);
  const channels = ctx.input.shape[3] as number;
  const w = ctx.weight(kernelName, (k) => {
    const [kh, kw, c, m] = k.shape as [number, number, number, number];
    return tf.transpose(k.reshape([kh, kw, 1, c * m]), [3, 2, 0, 1]);
  });
  const inputs = [ctx.as(ctx.input, 'channelsFirst'), w, ...(withBias ? [ctx.weight('bias')] : [])];
  return ctx.node(
    'Conv',
    inputs,
    {
      kernel_shape: kernelShape,
      strides,
      dilations,
      group: channels,
      ...windowPads(ctx, ctx.input.shape.slice(1, -1), kernelShape, strides, dilations),
    },
    name,
  );
}

/**
 * A transposed convolution (ConvTranspose): the `pads` crop TF's `'same'`
 * takes from the full output, and `output_padding` adds the rows TF.js's
 * output size has beyond the last window (a kernel smaller than its stride).
 */
function convTranspose(ctx: LayerContext): Produced {
  channelsLastOnly(ctx);
  const kernelShape = perAxis(ctx.config['kernelSize'], 2);
  const strides = perAxis(ctx.config['strides'] ?? 1, 2);
  const dilations = perAxis(ctx.config['dilationRate'] ?? 1, 2);
  if (dilations.some((d) => d !== 1)) ctx.fail(`its dilationRate is ${dilations}`, 'use dilationRate 1');
  const inSize = ctx.input.shape.slice(1, 3);
  const outSize = ctx.outputShape.slice(1, 3);
  if ([...inSize, ...outSize].some((n) => n == null)) {
    ctx.fail('its input has an unknown height or width', 'give the model a fixed inputShape');
  }
  const same = ctx.config['padding'] === 'same';
  const totals = kernelShape.map((k, i) => (same ? Math.max(k - strides[i]!, 0) : 0));
  const begins = totals.map((t) => Math.floor(t / 2));
  const ends = totals.map((t, i) => t - begins[i]!);
  const outputPadding = kernelShape.map(
    (k, i) => (outSize[i] as number) - ((inSize[i] as number) - 1) * strides[i]! - k + totals[i]!,
  );
  const w = ctx.weight('kernel', (k) => tf.transpose(k, [3, 2, 0, 1]));
  const inputs = [ctx.as(ctx.input, 'channelsFirst'), w, ...(ctx.hasWeight('bias') ? [ctx.weight('bias')] : [])];
  const y = ctx.node('ConvTranspose', inputs, {
    kernel_shape: kernelShape,
    strides,
    pads: [...begins, ...ends],
    output_padding: outputPadding,
  });
  return activate(ctx, { name: y, layout: 'channelsFirst' }, ctx.config['activation'], 4);
}

/** Convolutions: ONNX Conv and ConvTranspose on channelsFirst tensors. */
export const convHandlers: Record<string, OnnxHandler> = {
  Conv1D: convolution,
  Conv2D: convolution,
  Conv3D: convolution,
  DepthwiseConv2D: (ctx) => {
    channelsLastOnly(ctx);
    const y = depthwise(ctx, 'depthwise_kernel', ctx.hasWeight('bias'));
    return activate(ctx, { name: y, layout: 'channelsFirst' }, ctx.config['activation'], 4);
  },
  SeparableConv2D: (ctx) => {
    channelsLastOnly(ctx);
    const d = depthwise(ctx, 'depthwise_kernel', false, 'Depthwise');
    const pointwise = ctx.weight('pointwise_kernel', (k) => tf.transpose(k, [3, 2, 0, 1]));
    const inputs = [d, pointwise, ...(ctx.hasWeight('bias') ? [ctx.weight('bias')] : [])];
    const y = ctx.node('Conv', inputs, { kernel_shape: [1, 1] }, 'Pointwise');
    return activate(ctx, { name: y, layout: 'channelsFirst' }, ctx.config['activation'], 4);
  },
  Conv2DTranspose: convTranspose,
};
