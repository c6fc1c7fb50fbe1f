import type { LayerContext, OnnxHandler, Produced } from '../context.js';
import { float } from '../graph.js';
import { physicalAxis } from '../layout.js';

/**
 * Each TF.js activation (its serialized name) as ONNX nodes on `x`.
 * Element-wise ones keep the input's layout; `softmax` and `logSoftmax`
 * take the last TF.js axis wherever the layout put it.
 */
const ACTIVATIONS: Readonly<Record<string, (ctx: LayerContext, x: string, axis: number) => string>> = {
  linear: (_ctx, x) => x,
  relu: (ctx, x) => ctx.node('Relu', [x]),
  relu6: (ctx, x) => ctx.node('Clip', [x, scalar(ctx, 'zero', 0), scalar(ctx, 'six', 6)], {}, 'Relu6'),
  elu: (ctx, x) => ctx.node('Elu', [x], { alpha: float(1) }),
  // tfjs-core's selu constants.
  selu: (ctx, x) => ctx.node('Selu', [x], { alpha: float(1.6732632423543772), gamma: float(1.0507009873554805) }),
  sigmoid: (ctx, x) => ctx.node('Sigmoid', [x]),
  // tfjs-layers: clip(0.2 x + 0.5, 0, 1), ONNX HardSigmoid's formula.
  hardSigmoid: (ctx, x) => ctx.node('HardSigmoid', [x], { alpha: float(0.2), beta: float(0.5) }),
  softplus: (ctx, x) => ctx.node('Softplus', [x]),
  softsign: (ctx, x) => ctx.node('Softsign', [x]),
  tanh: (ctx, x) => ctx.node('Tanh', [x]),
  softmax: (ctx, x, axis) => ctx.node('Softmax', [x], { axis }),
  logSoftmax: (ctx, x, axis) => ctx.node('LogSoftmax', [x], { axis }),
  swish: (ctx, x) => ctx.node('Mul', [x, ctx.node('Sigmoid', [x], {}, 'swish/Sigmoid')], {}, 'swish'),
  mish: (ctx, x) => {
    const softplus = ctx.node('Softplus', [x], {}, 'mish/Softplus');
    return ctx.node('Mul', [x, ctx.node('Tanh', [softplus], {}, 'mish/Tanh')], {}, 'mish');
  },
  // tfjs-layers' gelu is the exact one, x * (1 + erf(x / sqrt 2)) / 2 (ONNX's Gelu op arrives in opset 20).
  gelu: (ctx, x) => {
    const erf = ctx.node(
      'Erf',
      [ctx.node('Div', [x, scalar(ctx, 'sqrt2', Math.SQRT2)], {}, 'gelu/Div')],
      {},
      'gelu/Erf',
    );
    const half = ctx.node('Mul', [x, scalar(ctx, 'half', 0.5)], {}, 'gelu/Half');
    return ctx.node('Mul', [half, ctx.node('Add', [erf, scalar(ctx, 'one', 1)], {}, 'gelu/Add')], {}, 'gelu');
  },
};

/** The activation names the export translates. */
export const ONNX_ACTIVATIONS: readonly string[] = Object.keys(ACTIVATIONS);

/**
 * `x` after the activation `name` (a layer's `activation` setting), laid out
 * as `x`; `linear` (or none) adds no node.
 */
export function activate(ctx: LayerContext, x: Produced, name: unknown, rank: number): Produced {
  const key = name == null ? 'linear' : typeof name === 'string' ? name : JSON.stringify(name);
  const op = Object.hasOwn(ACTIVATIONS, key) ? ACTIVATIONS[key] : undefined;
  if (op === undefined) {
    return ctx.fail(
      `its activation ${JSON.stringify(name)} has no ONNX translation`,
      `use one of ${ONNX_ACTIVATIONS.join(', ')}`,
    );
  }
  return { name: op(ctx, x.name, physicalAxis(-1, rank, x.layout)), layout: x.layout };
}

/** A scalar float constant of the layer. */
export function scalar(ctx: LayerContext, name: string, value: number): string {
  return ctx.floats(name, [], [value]);
}

/** Layers that are an activation, and the advanced activation layers. */
export const activationHandlers: Record<string, OnnxHandler> = {
  Activation: (ctx) => activate(ctx, ctx.input, ctx.config['activation'], ctx.input.shape.length),
  ReLU: (ctx) => {
    const max = ctx.config['maxValue'];
    const x = ctx.input;
    if (max == null) return { name: ctx.node('Relu', [x.name]), layout: x.layout };
    const clip = ctx.node('Clip', [x.name, scalar(ctx, 'min', 0), scalar(ctx, 'max', Number(max))]);
    return { name: clip, layout: x.layout };
  },
  LeakyReLU: (ctx) => ({
    name: ctx.node('LeakyRelu', [ctx.input.name], { alpha: float(Number(ctx.config['alpha'])) }),
    layout: ctx.input.layout,
  }),
  ELU: (ctx) => ({
    name: ctx.node('Elu', [ctx.input.name], { alpha: float(Number(ctx.config['alpha'])) }),
    layout: ctx.input.layout,
  }),
  ThresholdedReLU: (ctx) => ({
    name: ctx.node('ThresholdedRelu', [ctx.input.name], { alpha: float(Number(ctx.config['theta'])) }),
    layout: ctx.input.layout,
  }),
  // alpha has the input's shape without the batch (1 on shared axes): it broadcasts on a channelsLast input.
  PReLU: (ctx) => ({
    name: ctx.node('PRelu', [ctx.as(ctx.input, 'channelsLast'), ctx.weight('alpha')]),
    layout: 'channelsLast',
  }),
  Softmax: (ctx) => {
    const x = ctx.input;
    const axis = ctx.config['axis'];
    if (typeof axis !== 'number') {
      return ctx.fail(`its axis ${JSON.stringify(axis)} is not one axis`, 'give it one axis (the default, -1)');
    }
    const op = ctx.node('Softmax', [x.name], { axis: physicalAxis(axis, x.shape.length, x.layout) });
    return { name: op, layout: x.layout };
  },
};
