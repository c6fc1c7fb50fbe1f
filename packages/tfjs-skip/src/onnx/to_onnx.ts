import * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from '../errors.js';
import type { Value } from './context.js';
import { Exporter } from './exporter.js';
import { encodeModel, valueInfo, type ElementType } from './graph.js';
import { layoutFor, physicalShape, type Layout } from './layout.js';
import { nameOutputs, optimize } from './optimize.js';

export type { Layout } from './layout.js';

/**
 * The ONNX operator set the export writes: 17 (ONNX 1.12, 2022), the first
 * with LayerNormalization, and still taking ReduceMean's axes as an
 * attribute. Every ONNX Runtime since 1.12 runs it, on every platform
 * (Node, web, mobile, servers), and it covers every op the export uses.
 */
export const ONNX_OPSET = 17;

/** The IR version of opset 17's release (ONNX 1.12): what a runtime of that age reads. */
export const ONNX_IR_VERSION = 8;

/** Options of {@link toOnnx}. */
export interface ToOnnxOptions {
  /**
   * How image (and sequence) inputs and outputs lie: `'channelsLast'`
   * (default: NHWC, as the TF.js model takes them) or `'channelsFirst'`
   * (NCHW, as PyTorch models take them). Tensors of rank 2 are the same in both.
   */
  layout?: Layout;
  /** A fixed batch size; by default the batch dimension is symbolic (`batch`). */
  batchSize?: number;
  /** The graph's name (default: the model's). */
  name?: string;
}

/**
 * The model as an ONNX file (opset {@link ONNX_OPSET}): the bytes of its
 * `ModelProto`, inference graph and weights, for ONNX Runtime and every
 * tool that reads ONNX. Sequential and functional models export, with every
 * layer tfjs-skip defines (SkipConnection with each merge, nested ones
 * included, Shortcut, Highway, LayerScale, DropPath as the identity) and the
 * TF.js layers listed in docs/onnx.md; a layer that cannot export is an
 * `OnnxExportError` naming it, its class and its path. Inputs and outputs
 * keep their TF.js layout (NHWC) unless `layout` says otherwise, and take the
 * names of the model's input and output layers.
 *
 * Asynchronous because it reads the weights with `data()`, which every
 * backend (WebGPU included) supports.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { resNet, toOnnx } from 'tfjs-skip';
 *
 * const model = resNet({ depth: 8, inputShape: [8, 8, 3], classes: 4 });
 * const bytes = await toOnnx(model);
 * bytes instanceof Uint8Array; // => true
 * bytes.length > model.countParams() * 4; // => true
 * ```
 */
export async function toOnnx(model: tf.LayersModel, options: ToOnnxOptions = {}): Promise<Uint8Array> {
  const layout = checkLayout(options.layout);
  const batch = checkBatch(options.batchSize);
  if (!(model instanceof tf.LayersModel) || model.inputs == null || model.inputs.length === 0) {
    throw new OnnxExportError(
      `toOnnx takes a built tf.LayersModel (tf.sequential with an inputShape, or tf.model), but received ` +
        `${describe(model)}`,
    );
  }
  const exporter = new Exporter();
  const inputs: Value[] = model.inputs.map((t) => ({
    name: exporter.graph.unique(t.sourceLayer.name),
    shape: t.shape,
    layout: layoutFor(t.shape.length, layout),
  }));
  const values = exporter.emitModel(model, inputs, model.name, '');
  const produced = values.map((v) => exporter.as(v, layout));
  const outputNames = model.outputs.map((t) => exporter.graph.unique(t.sourceLayer.name));
  const nodes = nameOutputs(optimize(exporter.graph.nodes, produced), produced, outputNames);
  const used = new Set(nodes.flatMap((n) => n.input));
  const initializers = (await exporter.graph.initializers()).filter((t) => used.has(t.name));
  const dims = (v: { shape: tf.Shape }, name: string) =>
    physicalShape(v.shape, layout).map((d, i) => (i === 0 ? (batch ?? 'batch') : (d ?? `${name}_${i}`)));
  return encodeModel({
    graphName: options.name ?? model.name,
    nodes,
    initializers,
    inputs: inputs.map((v, i) => valueInfo(v.name, elementType(model.inputs[i]!), dims(v, v.name))),
    outputs: values.map((v, i) => valueInfo(outputNames[i]!, 'float32', dims(v, outputNames[i]!))),
    opset: ONNX_OPSET,
    irVersion: ONNX_IR_VERSION,
    producerVersion: '',
    docString: `${model.name}, exported from TensorFlow.js by tfjs-skip (inputs and outputs ${layout})`,
  });
}

function elementType(input: tf.SymbolicTensor): ElementType {
  if (input.dtype === 'float32' || input.dtype === 'int32') return input.dtype;
  throw new OnnxExportError(
    `toOnnx exports float32 and int32 inputs, but the input "${input.name}" is ${input.dtype}; ` +
      `build the model with a float32 input`,
  );
}

function checkLayout(layout: unknown): Layout {
  if (layout === undefined || layout === 'channelsLast') return 'channelsLast';
  if (layout === 'channelsFirst') return layout;
  throw new OnnxExportError(
    `toOnnx layout must be 'channelsLast' or 'channelsFirst', but received ${JSON.stringify(layout)}`,
  );
}

function checkBatch(batch: unknown): number | undefined {
  if (batch === undefined || (typeof batch === 'number' && Number.isInteger(batch) && batch > 0)) return batch;
  throw new OnnxExportError(`toOnnx batchSize must be a positive integer, but received ${JSON.stringify(batch)}`);
}

function describe(value: unknown): string {
  if (value instanceof tf.LayersModel) return `the model "${value.name}", which has no inputs yet`;
  if (value === null || typeof value !== 'object') return String(value);
  return `an object of class ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'}`;
}
