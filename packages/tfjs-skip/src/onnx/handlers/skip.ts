import * as tf from '@tensorflow/tfjs';
import type { Highway } from '../../blocks/highway.js';
import type { LayerScale } from '../../blocks/layer_scale.js';
import type { Shortcut } from '../../blocks/shortcut.js';
import type { SkipConnection } from '../../skip_connection.js';
import type { LayerContext, OnnxHandler, Produced, Value } from '../context.js';
import { physicalAxis } from '../layout.js';
import { activate } from './activations.js';
import { affine } from './core.js';
import { mergeValues } from './merge.js';
import { TO_THE_END } from './reshaping.js';

/** The layers of a path, one after another, from `x`; the identity for an empty path. */
function runPath(ctx: LayerContext, path: readonly tf.layers.Layer[], role: string, x: Value): Value {
  return path.reduce((v, layer, i) => ctx.emit(layer, [v], `${role}[${i}]`)[0]!, x);
}

/** Option A of a Shortcut: every `strides`-th pixel (a strided Slice), then zero channels up to `filters`. */
function zeroPad(ctx: LayerContext, layer: Shortcut): Produced {
  const x = ctx.input;
  const rank = x.shape.length;
  const [h, w] = [physicalAxis(1, rank, x.layout), physicalAxis(2, rank, x.layout)];
  let y = x.name;
  if (layer.strides > 1) {
    const s = layer.strides;
    const inputs = [
      y,
      ctx.int64s('starts', [0, 0]),
      ctx.int64s('ends', [TO_THE_END, TO_THE_END]),
      ctx.int64s('axes', [h, w]),
      ctx.int64s('steps', [s, s]),
    ];
    y = ctx.node('Slice', inputs, {}, 'Subsample');
  }
  const extra = layer.filters - (x.shape[rank - 1] as number);
  if (extra > 0) {
    const pads = new Array<number>(2 * rank).fill(0);
    pads[rank + physicalAxis(-1, rank, x.layout)] = extra;
    y = ctx.node('Pad', [y, ctx.int64s('pads', pads)], { mode: 'constant' });
  }
  return { name: y, layout: x.layout };
}

/** tfjs-skip's own layers. */
export const skipHandlers: Record<string, OnnxHandler> = {
  /** `merge(mainPath(x), skipPath(x))`: both paths inline, then the merge's nodes. */
  SkipConnection: (ctx) => {
    const layer = ctx.layer as SkipConnection;
    const main = runPath(ctx, layer.mainPath, 'mainPath', ctx.input);
    const skip = runPath(ctx, layer.skipPath, 'skipPath', ctx.input);
    return mergeValues(ctx, layer.how, [main, skip]);
  },
  Shortcut: (ctx) => {
    const layer = ctx.layer as Shortcut;
    if (layer.isIdentity(ctx.input.shape)) return ctx.input;
    if (layer.kind === 'zeroPad') return zeroPad(ctx, layer);
    return runPath(ctx, layer.projectionLayers, 'projection', ctx.input);
  },
  /** `x + T * (H - x)` with `H = activation(x W + b)` and `T = sigmoid(x W_T + b_T)`, as the layer computes it. */
  Highway: (ctx) => {
    const layer = ctx.layer as Highway;
    const rank = ctx.input.shape.length;
    const x = ctx.as(ctx.input, 'channelsLast');
    const transform = affine(ctx, ctx.weight('kernel'), ctx.weight('bias'), 'Transform');
    const h = activate(ctx, { name: transform, layout: 'channelsLast' }, layer.activation, rank).name;
    const gate = affine(ctx, ctx.weight('gate_kernel'), ctx.weight('gate_bias'), 'Gate');
    const t = ctx.node('Sigmoid', [gate], {}, 'Gate/Sigmoid');
    const carry = ctx.node('Mul', [t, ctx.node('Sub', [h, x])]);
    return { name: ctx.node('Add', [x, carry]), layout: 'channelsLast' };
  },
  /** A per-channel scale is reshaped to broadcast over a channelsFirst input; a scalar broadcasts anywhere. */
  LayerScale: (ctx) => {
    const x = ctx.input;
    const rank = x.shape.length;
    const perChannel = x.layout === 'channelsFirst' && (ctx.layer as LayerScale).perChannel;
    const scale = perChannel
      ? ctx.weight('scale', (s) => s.reshape([s.size, ...new Array<number>(rank - 2).fill(1)]))
      : ctx.weight('scale');
    return { name: ctx.node('Mul', [x.name, scale]), layout: x.layout };
  },
  /** Stochastic depth drops samples in training only: the identity at inference. */
  DropPath: (ctx) => ctx.input,
};

/** A model used as a layer of another: its graph, inline. */
const nestedModel: OnnxHandler = (ctx) => ctx.emitModel(ctx.layer as tf.LayersModel, ctx.inputs);

/** Models nested in models. */
export const modelHandlers: Record<string, OnnxHandler> = {
  Sequential: nestedModel,
  Model: nestedModel,
};
