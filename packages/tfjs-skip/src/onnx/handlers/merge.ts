import type { MergeName } from '../../merges.js';
import type { LayerContext, OnnxHandler, Produced, Value } from '../context.js';
import { physicalAxis } from '../layout.js';
import { scalar } from './activations.js';

type Combine = (ctx: LayerContext, inputs: readonly string[], value: Value) => string;

/** `opType` over every input: one node for two inputs, `variadic` (or a chain) for more. */
function fold(opType: string, variadic?: string): Combine {
  return (ctx, inputs) => {
    if (inputs.length > 2 && variadic !== undefined) return ctx.node(variadic, inputs);
    return inputs.slice(1).reduce((acc, x) => ctx.node(opType, [acc, x]), inputs[0]!);
  };
}

/**
 * Every merge of a SkipConnection (`how:`) and of the TF.js merge layers as
 * ONNX nodes; typed by {@link MergeName}, so a new merge does not compile
 * until it has its ONNX form here.
 */
export const ONNX_MERGES: Readonly<Record<MergeName, Combine>> = {
  add: fold('Add', 'Sum'),
  multiply: fold('Mul'),
  // TF.js: the sum times 1/n.
  average: (ctx, inputs, value) =>
    ctx.node(
      'Mul',
      [fold('Add', 'Sum')(ctx, inputs, value), scalar(ctx, 'reciprocal', 1 / inputs.length)],
      {},
      'Average',
    ),
  maximum: fold('Max', 'Max'),
  minimum: fold('Min', 'Min'),
  // On the last TF.js axis, wherever the layout put it.
  concat: (ctx, inputs, value) =>
    ctx.node('Concat', inputs, { axis: physicalAxis(-1, value.shape.length, value.layout) }),
};

/** `how` over `values`, all laid out as the first one. */
export function mergeValues(ctx: LayerContext, how: MergeName, values: readonly Value[]): Produced {
  const first = values[0]!;
  const names = values.map((v) => ctx.as(v, first.layout));
  return { name: ONNX_MERGES[how](ctx, names, first), layout: first.layout };
}

function mergeLayer(how: MergeName): OnnxHandler {
  return (ctx) => {
    const ranks = new Set(ctx.inputs.map((v) => v.shape.length));
    if (ranks.size !== 1) {
      ctx.fail(`its inputs have ranks ${[...ranks].join(' and ')}`, 'merge inputs of one rank');
    }
    return mergeValues(ctx, how, ctx.inputs);
  };
}

/** TF.js's merge layers. */
export const mergeHandlers: Record<string, OnnxHandler> = {
  Add: mergeLayer('add'),
  Multiply: mergeLayer('multiply'),
  Average: mergeLayer('average'),
  Maximum: mergeLayer('maximum'),
  Minimum: mergeLayer('minimum'),
  Concatenate: (ctx) => {
    const axis = Number(ctx.config['axis'] ?? -1);
    const first = ctx.inputs[0]!;
    const names = ctx.inputs.map((v) => ctx.as(v, first.layout));
    const y = ctx.node('Concat', names, { axis: physicalAxis(axis, first.shape.length, first.layout) });
    return { name: y, layout: first.layout };
  },
};
