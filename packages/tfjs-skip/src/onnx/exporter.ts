import * as tf from '@tensorflow/tfjs';
import { OnnxExportError } from '../errors.js';
import { isShapeList, type Shape } from '../shapes.js';
import type { LayerContext, Produced, Value } from './context.js';
import { OnnxGraph, type Attr } from './graph.js';
import { layoutFor, toChannelsFirst, toChannelsLast, type Layout } from './layout.js';
import { handlerFor, ONNX_LAYER_CLASSES } from './registry.js';

/**
 * Walks a TF.js model and writes its ONNX graph: each layer through its
 * class's handler (`registry.ts`), each tensor in the layout its consumers
 * want. Conv and pooling nodes take channelsFirst tensors and leave their
 * outputs so; a tensor is transposed only where a consumer needs the other
 * layout, once per tensor and layout.
 */
export class Exporter {
  readonly graph = new OnnxGraph();
  private readonly laidOut = new Map<string, Map<Layout, string>>();

  /**
   * Translates the graph of `model` (Sequential or functional) on `inputs`,
   * one per model input, and returns its outputs. Every node of a layer is
   * emitted once, after its inputs; a shared layer is emitted at each call.
   */
  emitModel(model: tf.LayersModel, inputs: readonly Value[], where: string, scope: string): Value[] {
    if (inputs.length !== model.inputs.length) {
      throw new OnnxExportError(
        `model "${model.name}" at ${where} takes ${model.inputs.length} inputs, but received ${inputs.length}`,
      );
    }
    const known = new Map<number, Value>(model.inputs.map((t, i) => [t.id, inputs[i]!]));
    const emitted = new Map<string, Value[]>();
    const valueOf = (t: tf.SymbolicTensor): Value => {
      const ready = known.get(t.id);
      if (ready !== undefined) return ready;
      const layer = t.sourceLayer;
      const key = `${layer.id}:${t.nodeIndex}`;
      let outputs = emitted.get(key);
      if (outputs === undefined) {
        if (t.inputs.length === 0) {
          throw new OnnxExportError(
            `model "${model.name}" at ${where} reads the tensor "${t.name}" of layer "${layer.name}" ` +
              `(${layer.getClassName()}), which is not one of its inputs; export a model built with ` +
              'tf.model({inputs, outputs}) or tf.sequential',
          );
        }
        const args = t.inputs.map(valueOf);
        outputs = this.emitLayer(layer, args, `${where}/${layer.name}`, joinScope(scope, layer.name));
        emitted.set(key, outputs);
      }
      const out = outputs[t.tensorIndex];
      if (out === undefined)
        throw new OnnxExportError(`layer "${layer.name}" at ${where} made no output ${t.tensorIndex}`);
      return out;
    };
    return model.outputs.map(valueOf);
  }

  /** Translates one layer on `inputs` through its class's handler. */
  emitLayer(layer: tf.layers.Layer, inputs: readonly Value[], where: string, scope: string): Value[] {
    const className = layer.getClassName();
    const handler = handlerFor(className);
    if (handler === undefined) {
      throw layerError(
        layer,
        where,
        `tfjs-skip's ONNX export has no handler for ${className}`,
        `replace it by layers it exports (${ONNX_LAYER_CLASSES.join(', ')}), or add a handler for ${className} ` +
          `in packages/tfjs-skip/src/onnx/handlers/ (docs/onnx.md)`,
      );
    }
    const shapes = inputs.map((v) => v.shape);
    const outputShape = layer.computeOutputShape(shapes.length === 1 ? shapes[0]! : shapes) as Shape | Shape[];
    const outputShapes = isShapeList(outputShape) ? outputShape : [outputShape];
    const produced = handler(this.context(layer, inputs, outputShapes[0]!, where, scope));
    const list: readonly Produced[] = isProducedList(produced) ? produced : [produced];
    return list.map((p, i) => {
      const shape = outputShapes[i]!;
      return { name: p.name, shape, layout: layoutFor(shape.length, p.layout) };
    });
  }

  /** The name of `value` laid out as `layout`: itself, or its Transpose (made once). */
  as(value: Value, layout: Layout): string {
    const rank = value.shape.length;
    if (layoutFor(rank, layout) === layoutFor(rank, value.layout)) return value.name;
    let views = this.laidOut.get(value.name);
    if (views === undefined) this.laidOut.set(value.name, (views = new Map<Layout, string>()));
    const view = views.get(layout);
    if (view !== undefined) return view;
    const perm = layout === 'channelsFirst' ? toChannelsFirst(rank) : toChannelsLast(rank);
    const suffix = layout === 'channelsFirst' ? 'channels_first' : 'channels_last';
    const out = this.graph.node('Transpose', [value.name], `${value.name}/${suffix}`, { perm });
    views.set(layout, out);
    return out;
  }

  private context(
    layer: tf.layers.Layer,
    inputs: readonly Value[],
    outputShape: Shape,
    where: string,
    scope: string,
  ): LayerContext {
    const weightNamed = (name: string): tf.LayerVariable | undefined =>
      layer.weights.find((w) => lastSegment(w.originalName) === name || lastSegment(w.name) === name);
    const fail = (problem: string, fix: string): never => {
      throw layerError(layer, where, problem, fix);
    };
    return {
      layer,
      config: layer.getConfig(),
      inputs,
      get input(): Value {
        if (inputs.length !== 1) fail(`it is called on ${inputs.length} inputs, and takes one`, 'call it on one');
        return inputs[0]!;
      },
      outputShape,
      node: (opType: string, ins: readonly string[], attrs: Record<string, Attr> = {}, name?: string) =>
        this.graph.node(opType, ins, `${scope}/${name ?? opType}`, attrs),
      hasWeight: (name) => weightNamed(name) !== undefined,
      weight: (name, transform = (t) => t) => {
        const variable = weightNamed(name);
        if (variable === undefined) {
          return fail(
            `it has no weight "${name}" (it has ${layer.weights.map((w) => w.name).join(', ') || 'none'})`,
            'build the model before exporting it',
          );
        }
        return this.graph.weight(variable.name, () => transform(variable.read()));
      },
      derived: (name, make) => this.graph.weight(`${scope}/${name}`, make),
      int64s: (name, values) => this.graph.int64s(`${scope}/${name}`, values),
      floats: (name, dims, values) => this.graph.floats(`${scope}/${name}`, dims, values),
      as: (value, layout) => this.as(value, layout),
      emit: (inner, ins, role) => this.emitLayer(inner, ins, `${where}/${role}`, joinScope(scope, inner.name)),
      emitModel: (model, ins) => this.emitModel(model, ins, where, scope),
      fail,
    };
  }
}

/** The error for a layer that cannot export: its name, class, path, the problem and the fix. */
export function layerError(layer: tf.layers.Layer, where: string, problem: string, fix: string): OnnxExportError {
  return new OnnxExportError(
    `cannot export layer "${layer.name}" (${layer.getClassName()}) at ${where} to ONNX: ${problem}; to fix it, ${fix}`,
  );
}

function joinScope(scope: string, name: string): string {
  return scope === '' ? name : `${scope}/${name}`;
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1).replace(/_\d+$/, '');
}

function isProducedList(p: Produced | readonly Produced[]): p is readonly Produced[] {
  return Array.isArray(p);
}
