import * as tf from '@tensorflow/tfjs';
import { unattachedSymbolicInput } from 'tfjs-skip-internals';
import { convBatchNormIsFused, runPathFused } from './blocks/conv_batch_norm.js';
import { foldingAllowed, runPathFolded } from './blocks/folded_batch_norm.js';
import { ConfigError } from './errors.js';
import { formatShape, type Shape } from './shapes.js';

type Layer = tf.layers.Layer;

/**
 * What a path may be given as: one layer, layers applied in order, or a built
 * `LayersModel` (a model is a layer). `null`/`undefined` is the identity.
 */
export type PathSpec = tf.layers.Layer | readonly tf.layers.Layer[] | null | undefined;

/** Normalises a `PathSpec` (anything else a caller passes is refused) to the array of layers it applies, in order. */
export function toPath(spec: unknown, role: string): Layer[] {
  if (spec == null) return [];
  const items: unknown[] = Array.isArray(spec) ? [...(spec as unknown[])] : [spec];
  items.forEach((item, i) => {
    if (!(item instanceof tf.layers.Layer)) {
      throw new ConfigError(
        `${role}[${i}] must be a tf.layers.Layer or a built tf.LayersModel, but received ${describeValue(item)}`,
      );
    }
    if (item instanceof tf.LayersModel && item.inputs.length === 0) {
      throw new ConfigError(
        `${role}[${i}] is the model "${item.name}", which has no input shape yet; ` +
          `pass its layers as an array instead and the SkipConnection builds them from its input`,
      );
    }
  });
  return items as Layer[];
}

/** `identity`, or the layer names joined by arrows, for messages. */
export function describePath(path: readonly Layer[]): string {
  return path.length === 0 ? 'identity' : path.map((l) => l.name).join(' → ');
}

/** The output shape after each layer of `path`, starting from `inputShape`. */
export function pathShapes(path: readonly Layer[], inputShape: Shape): Shape[] {
  const shapes: Shape[] = [];
  let shape = inputShape;
  for (const layer of path) {
    shape = layer.computeOutputShape(shape) as Shape;
    shapes.push(shape);
  }
  return shapes;
}

/** The shape `path` produces from `inputShape`. */
export function pathOutputShape(path: readonly Layer[], inputShape: Shape): Shape {
  return pathShapes(path, inputShape).at(-1) ?? inputShape;
}

/**
 * Builds every layer of `path` by calling it on a symbolic tensor of the
 * path's input shape, exactly as `tf.sequential` does: weights are created
 * under the caller's name scope, `inputSpec`s are checked, and each layer
 * records its input/output shapes (which an expanded summary prints).
 */
export function buildPath(path: readonly Layer[], inputShape: Shape, dtype: tf.DataType, where: string): void {
  // A symbolic input with no source layer: the path's layers get inbound
  // nodes but nothing is linked back into the enclosing model's graph.
  let x = unattachedSymbolicInput(dtype, inputShape);
  path.forEach((layer, i) => {
    try {
      const y = layer.apply(x);
      if (Array.isArray(y)) {
        throw new ConfigError(`it returns ${y.length} outputs; a path layer must return exactly one`);
      }
      x = y as tf.SymbolicTensor;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw new ConfigError(
        `${where} layer ${i} "${layer.name}" (${layer.getClassName()}) cannot take input of shape ` +
          `${formatShape(x.shape)}: ${reason}`,
      );
    }
  });
}

/**
 * Runs `path` on a concrete tensor; `training` reaches every layer. In
 * training on a backend with the fused kernels (tfjs-skip-onednn), each
 * conv → BatchNormalization (→ ReLU) run of the path is one `convBatchNorm`
 * op: the same layers, weights and moving statistics, in one kernel each way.
 * At inference there, each such run is one convolution with the batch norm
 * folded into its weights (`runPathFolded`).
 */
export function runPath(path: readonly Layer[], x: tf.Tensor, training: boolean | undefined): tf.Tensor {
  if (training === true && convBatchNormIsFused()) return runPathFused(path, x);
  if (training !== true && convBatchNormIsFused() && foldingAllowed()) return runPathFolded(path, x);
  return path.reduce((h, layer) => layer.apply(h, { training }) as tf.Tensor, x);
}

/**
 * `model.apply(x, { training })` on a concrete tensor, computing the same
 * thing; in training on a backend with the fused kernels, a `tf.Sequential`'s
 * layers go through the path runner SkipConnections use (`runPath`), so that
 * the conv → batch norm and conv → ReLU runs fuse outside SkipConnections as
 * well (a model's stem, a plain CNN). tfjs-skip-train's training step calls
 * it.
 */
export function runModel(model: tf.LayersModel, x: tf.Tensor, training: boolean): tf.Tensor {
  if (training && model instanceof tf.Sequential && convBatchNormIsFused()) {
    // A Sequential made with a tf.layers.inputLayer lists it among its layers; its input goes to the next.
    return runPath(
      model.layers.filter((layer) => layer.getClassName() !== 'InputLayer'),
      x,
      true,
    );
  }
  return model.apply(x, { training }) as tf.Tensor;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return `${typeof value} ${JSON.stringify(value)}`;
  const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  return typeof name === 'string' ? `an object of class ${name}` : 'an object';
}
