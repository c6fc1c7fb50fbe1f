import type * as tf from '@tensorflow/tfjs';
import type { Shape } from '../shapes.js';
import type { Attr } from './graph.js';
import type { Layout } from './layout.js';

/** A tensor of the ONNX graph: its name, its TF.js shape (`null`: unknown) and how its axes lie. */
export interface Value {
  readonly name: string;
  readonly shape: Shape;
  readonly layout: Layout;
}

/** What a handler produces: the tensor holding the layer's output, and its layout. */
export interface Produced {
  readonly name: string;
  readonly layout: Layout;
}

/**
 * What a handler sees of the layer it translates and of the graph it writes
 * to. Node, initializer and constant names are scoped under the layer's name
 * (`skip_connection_SkipConnection1/conv2d_Conv2D2/Conv`), weights keep their
 * TF.js names (`.../kernel`).
 */
export interface LayerContext {
  readonly layer: tf.layers.Layer;
  /** `layer.getConfig()`: the layer's settings, as `model.json` saves them (camelCase keys). */
  readonly config: tf.serialization.ConfigDict;
  readonly inputs: readonly Value[];
  /** The layer's one input (an error for a layer called on several). */
  readonly input: Value;
  /** The TF.js shape of the layer's output. */
  readonly outputShape: Shape;
  /** Adds a node `opType` named `<layer scope>/<name ?? opType>` and returns its output. */
  node(opType: string, inputs: readonly string[], attrs?: Record<string, Attr>, name?: string): string;
  /** Whether the layer has the weight `name` (`kernel`, `bias`, `gamma`, ...). */
  hasWeight(name: string): boolean;
  /** The layer's weight `name` as an initializer, after `transform` (TF.js ops on its value: a layout change). */
  weight(name: string, transform?: (value: tf.Tensor) => tf.Tensor): string;
  /** A float32 initializer computed from the layer's weights (a folded or reshaped value). */
  derived(name: string, make: () => tf.Tensor): string;
  /** A constant int64 vector (shapes, axes, pads). */
  int64s(name: string, values: readonly number[]): string;
  /** A constant float32 tensor. */
  floats(name: string, dims: readonly number[], values: readonly number[]): string;
  /** The name of `value` laid out as `layout`: itself, or a Transpose of it (one per value and layout). */
  as(value: Value, layout: Layout): string;
  /** Translates `layer`, owned by this one (a path of a SkipConnection), on `inputs`; `role` says where it sits. */
  emit(layer: tf.layers.Layer, inputs: readonly Value[], role: string): Value[];
  /** Translates the graph of `model`, a layer of this model, on `inputs` (one per model input). */
  emitModel(model: tf.LayersModel, inputs: readonly Value[]): Value[];
  /** Refuses the layer: an `OnnxExportError` naming it, its class and its path, with `problem` and `fix`. */
  fail(problem: string, fix: string): never;
}

/** Translates one layer class into ONNX nodes: the exporter's table holds one per class. */
export type OnnxHandler = (ctx: LayerContext) => Produced | readonly Produced[];
