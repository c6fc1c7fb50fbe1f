import { field, isRecord } from './config_field.js';
import { ModelFileError } from './model_file_error.js';
import { tfCamelCase } from './config_names.js';
import { RAISE_MAX_PARAMETERS } from './load_limits.js';

/** A shape while estimating: `null` dimensions or a `null` shape are unknown. */
type Dims = (number | null)[] | null;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
/** An unknown size counts as 1: the estimate stays a lower bound. */
const atLeast1 = (d: number | null | undefined): number => (d == null ? 1 : Math.max(d, 0));
const ints = (v: unknown, n: number): number[] =>
  Array.isArray(v) ? v.map((x) => atLeast1(num(x))) : new Array<number>(n).fill(atLeast1(num(v)));

function shapeOf(v: unknown): Dims {
  return Array.isArray(v) ? v.map((d) => num(d)) : null;
}

interface Estimate {
  params: number;
  out: Dims;
}

const PASS_THROUGH = new Set([
  'Activation',
  'Dropout',
  'SpatialDropout1D',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'Masking',
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
]);

/**
 * A lower bound on the number of weights a layer config creates, and its
 * output shape, from its hyperparameters alone, before anything is built.
 * Dense, Conv1D/2D/3D (also transposed, depthwise and separable),
 * SimpleRNN/GRU/LSTM, TimeDistributed/Bidirectional, BatchNormalization,
 * LayerNormalization, Embedding, Flatten, pooling, pass-through layers,
 * nested models and SkipConnection paths are understood; any other layer
 * counts 0 here (the weight manifest's cap still bounds it) and makes the
 * following shape unknown.
 *
 * It walks the saved config, not the layers (`walkLayers`): it runs before
 * any layer exists, so that a hostile file is refused before TF.js
 * allocates its weights. A Shortcut's projection is not in its config (its
 * `build` makes it from `filters`), so it counts 0 here, as any layer this
 * estimate does not know.
 */
function estimateLayer(layer: unknown, input: Dims): Estimate {
  const className = tfCamelCase(String(field(layer, 'className')));
  const config = field(layer, 'config');
  const declared = shapeOf(field(config, 'batchInputShape')) ?? withBatch(shapeOf(field(config, 'inputShape')));
  const x = declared ?? input;
  const last = x == null ? null : (x[x.length - 1] ?? null);
  const withLast = (d: number | null): Dims => (x == null ? null : [...x.slice(0, -1), d]);
  const bias = (key: string) => (field(config, key) === false ? 0 : 1);
  if (PASS_THROUGH.has(className)) return { params: 0, out: x };
  switch (className) {
    case 'InputLayer':
      return { params: 0, out: x };
    case 'Dense': {
      const units = atLeast1(num(field(config, 'units')));
      return { params: atLeast1(last) * units + bias('useBias') * units, out: withLast(num(field(config, 'units'))) };
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D':
      return conv(config, x, Number(className[4]), bias('useBias'));
    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const { params } = conv(config, x, Number(className[4]), bias('useBias'));
      return { params, out: channelsOnly(x, num(field(config, 'filters'))) };
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const multiplier = atLeast1(num(field(config, 'depthMultiplier')) ?? 1);
      const kernel = ints(field(config, 'kernelSize'), 2).reduce((n, k) => n * k, 1);
      const channels = atLeast1(last);
      const depthwise = kernel * channels * multiplier;
      if (className === 'DepthwiseConv2D') {
        const outChannels = last == null ? null : last * multiplier;
        return { params: depthwise + bias('useBias') * channels * multiplier, out: channelsOnly(x, outChannels) };
      }
      const filters = atLeast1(num(field(config, 'filters')));
      return {
        params: depthwise + channels * multiplier * filters + bias('useBias') * filters,
        out: channelsOnly(x, num(field(config, 'filters'))),
      };
    }
    case 'SimpleRNN':
    case 'GRU':
    case 'LSTM': {
      const units = atLeast1(num(field(config, 'units')));
      const gates = className === 'LSTM' ? 4 : className === 'GRU' ? 3 : 1;
      const params = gates * (atLeast1(last) * units + units * units + bias('useBias') * units);
      const sequences = field(config, 'returnSequences') === true;
      return {
        params,
        out:
          x == null
            ? null
            : sequences
              ? [x[0] ?? null, x[1] ?? null, num(field(config, 'units'))]
              : [x[0] ?? null, num(field(config, 'units'))],
      };
    }
    case 'TimeDistributed':
    case 'Bidirectional': {
      const inner = field(config, 'layer');
      const step = estimateLayer(inner, x == null ? null : [x[0] ?? null, ...x.slice(2)]);
      if (className === 'Bidirectional') return { params: 2 * step.params, out: null };
      return {
        params: step.params,
        out: x == null || step.out == null ? null : [x[0] ?? null, x[1] ?? null, ...step.out.slice(1)],
      };
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const axis = num(field(config, 'axis')) ?? -1;
      const channels = atLeast1(x == null ? null : x.at(axis));
      const perChannel = bias('center') + bias('scale') + (className === 'BatchNormalization' ? 2 : 0);
      return { params: perChannel * channels, out: x };
    }
    case 'Embedding': {
      const outputDim = num(field(config, 'outputDim'));
      return {
        params: atLeast1(num(field(config, 'inputDim'))) * atLeast1(outputDim),
        out: x == null ? null : [...x, outputDim],
      };
    }
    case 'Flatten':
      return {
        params: 0,
        out:
          x == null
            ? null
            : [
                x[0] ?? null,
                x.slice(1).some((d) => d == null) ? null : x.slice(1).reduce<number>((n, d) => n * (d as number), 1),
              ],
      };
    case 'GlobalAveragePooling1D':
    case 'GlobalMaxPooling1D':
    case 'GlobalAveragePooling2D':
    case 'GlobalMaxPooling2D':
      return { params: 0, out: x == null ? null : [x[0] ?? null, last] };
    case 'MaxPooling1D':
    case 'AveragePooling1D':
    case 'MaxPooling2D':
    case 'AveragePooling2D':
      return { params: 0, out: pooled(config, x) };
    case 'Sequential':
    case 'Model':
    case 'Functional':
      return estimateModelConfig(config, x);
    case 'SkipConnection':
      return skip(config, x);
    default:
      return { params: 0, out: null };
  }
}

/** Same rank, unknown spatial sizes, `channels` last. */
function channelsOnly(x: Dims, channels: number | null): Dims {
  return x == null ? null : [x[0] ?? null, ...x.slice(1, -1).map(() => null), channels];
}

function withBatch(shape: Dims): Dims {
  return shape == null ? null : [null, ...shape];
}

function conv(config: unknown, x: Dims, spatial: number, bias: number): Estimate {
  const filters = num(field(config, 'filters'));
  const kernel = ints(field(config, 'kernelSize'), spatial);
  const channelsFirst =
    field(config, 'dataFormat') === 'channelsFirst' || field(config, 'dataFormat') === 'channels_first';
  const channels = x == null ? null : channelsFirst ? (x[1] ?? null) : (x[x.length - 1] ?? null);
  const params = kernel.reduce((n, k) => n * k, 1) * atLeast1(channels) * atLeast1(filters) + bias * atLeast1(filters);
  if (x == null || x.length !== spatial + 2 || channelsFirst) return { params, out: null };
  const strides = ints(field(config, 'strides') ?? 1, spatial);
  const dilation = ints(field(config, 'dilationRate') ?? 1, spatial);
  const same = field(config, 'padding') === 'same';
  const dims = x.slice(1, -1).map((d, i) => {
    if (d == null) return null;
    const s = Math.max(strides[i] ?? 1, 1);
    return same ? Math.ceil(d / s) : Math.floor((d - ((kernel[i] ?? 1) - 1) * (dilation[i] ?? 1) - 1) / s) + 1;
  });
  return { params, out: [x[0] ?? null, ...dims, filters] };
}

function pooled(config: unknown, x: Dims): Dims {
  if (x == null) return null;
  const spatial = x.length - 2;
  const pool = ints(field(config, 'poolSize') ?? 2, spatial);
  const strides = field(config, 'strides') == null ? pool : ints(field(config, 'strides'), spatial);
  const same = field(config, 'padding') === 'same';
  const dims = x.slice(1, -1).map((d, i) => {
    if (d == null) return null;
    const s = Math.max(strides[i] ?? 1, 1);
    return same ? Math.ceil(d / s) : Math.floor((d - (pool[i] ?? 1)) / s) + 1;
  });
  return [x[0] ?? null, ...dims, x[x.length - 1] ?? null];
}

function path(items: unknown, x: Dims): Estimate {
  let params = 0;
  let out = x;
  for (const layer of Array.isArray(items) ? items : []) {
    const e = estimateLayer(layer, out);
    params += e.params;
    out = e.out;
  }
  return { params, out };
}

function skip(config: unknown, x: Dims): Estimate {
  const main = path(field(config, 'mainPath'), x);
  const side = path(field(config, 'skipPath'), x);
  const how = field(config, 'how');
  let out = main.out;
  if (how === 'concat') {
    const a = main.out?.at(-1);
    const b = side.out?.at(-1);
    out = main.out == null ? null : [...main.out.slice(0, -1), a == null || b == null ? null : a + b];
  }
  return { params: main.params + side.params, out };
}

/** A Sequential's layers in order; a functional model's layers fed by their first inbound layer. */
function estimateModelConfig(config: unknown, x: Dims): Estimate {
  const layers = Array.isArray(config) ? config : field(config, 'layers');
  if (!Array.isArray(layers)) return { params: 0, out: null };
  const functional = layers.some((l) => field(l, 'inboundNodes') !== undefined);
  if (!functional) return path(layers, x);
  const outputs = new Map<string, Dims>();
  let params = 0;
  let out: Dims = null;
  for (const layer of layers) {
    const inbound = firstInboundName(field(layer, 'inboundNodes'));
    const e = estimateLayer(layer, inbound == null ? null : (outputs.get(inbound) ?? null));
    params += e.params;
    out = e.out;
    const name = field(layer, 'name') ?? field(field(layer, 'config'), 'name');
    if (typeof name === 'string') outputs.set(name, e.out);
  }
  return { params, out };
}

function firstInboundName(nodes: unknown): string | null {
  const first: unknown = Array.isArray(nodes) ? nodes[0] : null;
  const ref: unknown = Array.isArray(first) ? first[0] : null;
  const name: unknown = Array.isArray(ref) ? ref[0] : null;
  return typeof name === 'string' ? name : null;
}

/** A lower bound on the weights the model `topology` creates when built. */
export function estimateParameters(topology: unknown): number {
  const root = isRecord(field(topology, 'modelConfig')) ? field(topology, 'modelConfig') : topology;
  return estimateLayer(root, null).params;
}

/**
 * Refuses a topology whose hyperparameters alone imply more than
 * `maxParameters` weights (e.g. `Dense({units: 1e9})`), before TF.js
 * allocates any of them.
 */
export function assertParameterBudget(topology: unknown, maxParameters: number, where: string): void {
  const estimate = estimateParameters(topology);
  if (!(estimate <= maxParameters)) {
    throw new ModelFileError(
      'too-many-params',
      `${where}: its layers' hyperparameters imply at least ${estimate} weights, over the limit of ${maxParameters} ` +
        `(maxParameters): ${RAISE_MAX_PARAMETERS}`,
    );
  }
}
