import { TensorProto_DataType } from 'onnx-buf';
import type { LayerContext, OnnxHandler, Produced } from '../context.js';
import { activate, scalar } from './activations.js';

/** ONNX's element types, as Cast's `to` takes them. */
const FLOAT = TensorProto_DataType.FLOAT;
const INT64 = TensorProto_DataType.INT64;

/** At inference these layers pass their input through: no node at all. */
const identity: OnnxHandler = (ctx) => ctx.input;

/**
 * `x W + b` on the last axis of `ctx.input` (laid out channelsLast): Gemm on a
 * batch of vectors, MatMul then Add on higher ranks. Shared with Highway.
 */
export function affine(ctx: LayerContext, kernel: string, bias: string | null, name: string): string {
  const x = ctx.as(ctx.input, 'channelsLast');
  if (ctx.input.shape.length === 2) {
    return ctx.node('Gemm', bias === null ? [x, kernel] : [x, kernel, bias], {}, name);
  }
  const product = ctx.node('MatMul', [x, kernel], {}, `${name}/MatMul`);
  return bias === null ? product : ctx.node('Add', [product, bias], {}, name);
}

function dense(ctx: LayerContext): Produced {
  const bias = ctx.hasWeight('bias') ? ctx.weight('bias') : null;
  const y = affine(ctx, ctx.weight('kernel'), bias, 'Dense');
  return activate(ctx, { name: y, layout: 'channelsLast' }, ctx.config['activation'], ctx.outputShape.length);
}

/** Reshapes the channelsLast input to `ctx.outputShape`, keeping the batch (`0` copies it). */
function reshapeTo(ctx: LayerContext): Produced {
  const dims = ctx.outputShape.slice(1).map((d) => d ?? -1);
  const shape = ctx.int64s('shape', [0, ...dims]);
  return { name: ctx.node('Reshape', [ctx.as(ctx.input, 'channelsLast'), shape]), layout: 'channelsLast' };
}

/** Dense, reshaping layers and the layers that are the identity at inference. */
export const coreHandlers: Record<string, OnnxHandler> = {
  Dense: dense,
  // TF.js flattens in channelsLast order (H, W, C).
  Flatten: (ctx) => ({
    name: ctx.node('Flatten', [ctx.as(ctx.input, 'channelsLast')], { axis: 1 }),
    layout: 'channelsLast',
  }),
  Reshape: reshapeTo,
  Permute: (ctx) => {
    const dims = ctx.config['dims'] as number[];
    const perm = [0, ...dims];
    return { name: ctx.node('Transpose', [ctx.as(ctx.input, 'channelsLast')], { perm }), layout: 'channelsLast' };
  },
  RepeatVector: (ctx) => {
    const n = Number(ctx.config['n']);
    const expanded = ctx.node('Unsqueeze', [ctx.input.name, ctx.int64s('axes', [1])]);
    return { name: ctx.node('Tile', [expanded, ctx.int64s('repeats', [1, n, 1])]), layout: 'channelsLast' };
  },
  Rescaling: (ctx) => {
    const x = ctx.input;
    const scaled = ctx.node('Mul', [x.name, scalar(ctx, 'scale', Number(ctx.config['scale']))]);
    const offset = Number(ctx.config['offset'] ?? 0);
    return { name: offset === 0 ? scaled : ctx.node('Add', [scaled, scalar(ctx, 'offset', offset)]), layout: x.layout };
  },
  /** A lookup of each (float) index's row: TF.js casts the indices to int32, ONNX Gather takes int64. */
  Embedding: (ctx) => {
    const indices = ctx.node('Cast', [ctx.as(ctx.input, 'channelsLast')], { to: INT64 });
    return { name: ctx.node('Gather', [ctx.weight('embeddings'), indices], { axis: 0 }), layout: 'channelsLast' };
  },
  /** `x * any(x != maskValue)` over the last axis, as TF.js computes Masking's output. */
  Masking: (ctx) => {
    const x = ctx.as(ctx.input, 'channelsLast');
    const equal = ctx.node('Equal', [x, scalar(ctx, 'mask_value', Number(ctx.config['maskValue']))]);
    const kept = ctx.node('Cast', [ctx.node('Not', [equal])], { to: FLOAT });
    const any = ctx.node('ReduceMax', [kept], { axes: [-1], keepdims: 1 });
    return { name: ctx.node('Mul', [x, any]), layout: 'channelsLast' };
  },
  Dropout: identity,
  SpatialDropout1D: identity,
  GaussianNoise: identity,
  GaussianDropout: identity,
  AlphaDropout: identity,
};
