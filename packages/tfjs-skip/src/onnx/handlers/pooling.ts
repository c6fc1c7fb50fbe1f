import type { LayerContext, OnnxHandler, Produced } from '../context.js';
import { range } from '../layout.js';
import { channelsLastOnly, perAxis, windowPads } from './conv.js';

/**
 * Max or average pooling over the spatial axes, on a channelsFirst tensor.
 * TF's `'same'` average excludes the padding from each window's count
 * (`count_include_pad: 0`); max pooling never picks a pad.
 */
function pool(opType: 'MaxPool' | 'AveragePool'): OnnxHandler {
  return (ctx: LayerContext): Produced => {
    channelsLastOnly(ctx);
    const axes = ctx.input.shape.length - 2;
    const kernelShape = perAxis(ctx.config['poolSize'], axes);
    const strides = perAxis(ctx.config['strides'] ?? kernelShape, axes);
    const ones = kernelShape.map(() => 1);
    const pads = windowPads(ctx, ctx.input.shape.slice(1, -1), kernelShape, strides, ones);
    const attrs = {
      kernel_shape: kernelShape,
      strides,
      ...pads,
      ...(opType === 'AveragePool' && { count_include_pad: 0 }),
    };
    return { name: ctx.node(opType, [ctx.as(ctx.input, 'channelsFirst')], attrs), layout: 'channelsFirst' };
  };
}

/** A reduction over every spatial axis, wherever the input's layout put them, to `[batch, channels]`. */
function globalPool(opType: 'ReduceMean' | 'ReduceMax'): OnnxHandler {
  return (ctx: LayerContext): Produced => {
    channelsLastOnly(ctx);
    const x = ctx.input;
    const rank = x.shape.length;
    const axes = x.layout === 'channelsFirst' ? range(2, rank) : range(1, rank - 1);
    return { name: ctx.node(opType, [x.name], { axes, keepdims: 0 }), layout: x.layout };
  };
}

/** Pooling layers: MaxPool and AveragePool, and global pooling as a reduction. */
export const poolingHandlers: Record<string, OnnxHandler> = {
  MaxPooling1D: pool('MaxPool'),
  MaxPooling2D: pool('MaxPool'),
  AveragePooling1D: pool('AveragePool'),
  AveragePooling2D: pool('AveragePool'),
  MaxPooling3D: pool('MaxPool'),
  AveragePooling3D: pool('AveragePool'),
  GlobalMaxPooling1D: globalPool('ReduceMax'),
  GlobalMaxPooling2D: globalPool('ReduceMax'),
  GlobalAveragePooling1D: globalPool('ReduceMean'),
  GlobalAveragePooling2D: globalPool('ReduceMean'),
};
