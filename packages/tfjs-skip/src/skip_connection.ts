import * as tf from '@tensorflow/tfjs';
import { addsInLastRun, convBatchNormIsFused, runPathFused } from './blocks/conv_batch_norm.js';
import { CompositeLayer, onlyInput, type Kwargs, type LayerArgs } from './composite_layer.js';
import { ConfigError, SkipShapeError } from './errors.js';
import { deserializeLayer, serializeLayer } from './layer_registry.js';
import { getMerge, isMergeName, MERGE_NAMES, type MergeName } from './merges.js';
import { buildPath, describePath, pathOutputShape, runPath, toPath, type PathSpec } from './paths.js';
import { dimsCompatible, exactlyOneShape, formatShape, type Shape } from './shapes.js';

type Layer = tf.layers.Layer;
export type { LayerArgs } from './composite_layer.js';

export interface SkipConnectionArgs extends LayerArgs {
  /**
   * The layers applied to the input on the main path: one layer, an array of
   * layers applied in order (built lazily from the SkipConnection's input
   * shape), or a built `tf.LayersModel`.
   */
  mainPath: PathSpec;
  /**
   * The layers applied to the input on the skip path, in the same forms as
   * `mainPath`. Absent, `null` or `[]`: the identity (a plain residual).
   */
  skipPath?: PathSpec;
  /**
   * How the two outputs combine: `'add'` (default), `'concat'` (last axis,
   * order `[mainPath, skipPath]`), `'multiply'`, `'average'`, `'maximum'` or
   * `'minimum'`.
   */
  how?: MergeName;
}

/**
 * A skip connection as one layer: `merge(mainPath(x), skipPath(x))`.
 *
 * It puts residual (ResNet), dense (DenseNet, `how: 'concat'`) and parallel
 * two-path blocks inside `tf.sequential()`, and behaves like any TF.js layer:
 * its output shape is known when the model is built, the weights of both
 * paths are its weights (counted by `summary()`, trained by `fit()`, saved by
 * `model.save()`), `training` reaches every layer of both paths, and it
 * serializes with its paths nested as `{className, config}`.
 */
export class SkipConnection extends CompositeLayer {
  /** The name TF.js's serialization registry knows this class by (`className` in a saved model's JSON). */
  static className = 'SkipConnection';

  /** The main path's layers, in the order they are applied. */
  readonly mainPath: readonly Layer[];
  /** The skip path's layers; empty for the identity. */
  readonly skipPath: readonly Layer[];
  /** How the two paths' outputs are merged. */
  readonly how: MergeName;

  constructor(args: SkipConnectionArgs) {
    super(checkArgs(args));
    this.how = args.how ?? 'add';
    this.mainPath = toPath(args.mainPath, 'mainPath');
    this.skipPath = toPath(args.skipPath, 'skipPath');
    if (this.mainPath.length === 0) {
      throw new ConfigError(
        `SkipConnection "${this.name}" needs a mainPath with at least one layer, but received ` +
          `${JSON.stringify(args.mainPath)}`,
      );
    }
    assertNoLayerTwice([...this.mainPath, ...this.skipPath], this.name);
  }

  /** Every layer of both paths: mainPath first, then skipPath. */
  get pathLayers(): readonly Layer[] {
    return [...(this.mainPath ?? []), ...(this.skipPath ?? [])];
  }

  override get innerLayers(): readonly Layer[] {
    return this.pathLayers;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = exactlyOneShape(inputShape, `SkipConnection "${this.name}"`);
    const dtype = this.dtype ?? 'float32';
    buildPath(this.mainPath, shape, dtype, `SkipConnection "${this.name}" mainPath`);
    buildPath(this.skipPath, shape, dtype, `SkipConnection "${this.name}" skipPath`);
    this.computeOutputShape(shape); // a mismatch fails here, when the model is built
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = exactlyOneShape(inputShape, `SkipConnection "${this.name}"`);
    const main = pathOutputShape(this.mainPath, shape);
    const skip = pathOutputShape(this.skipPath, shape);
    const merged = getMerge(this.how).outputShape(main, skip);
    if (merged == null) throw new SkipShapeError(this.mismatchMessage(main, skip));
    return merged;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = onlyInput(inputs, this);
      const training = kwargs['training'] as boolean | undefined;
      if (this.how === 'add' && training === true && convBatchNormIsFused() && addsInLastRun(this.mainPath)) {
        // mainPath(x) + skipPath(x), the add inside the kernel of the main path's last conv → BatchNormalization.
        return runPathFused(this.mainPath, x, runPath(this.skipPath, x, training));
      }
      return getMerge(this.how).apply(runPath(this.mainPath, x, training), runPath(this.skipPath, x, training));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      mainPath: this.mainPath.map(serializeLayer),
      skipPath: this.skipPath.map(serializeLayer),
      how: this.how,
      ...super.getConfig(),
    };
  }

  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const { mainPath, skipPath, ...rest } = config;
    delete rest.customObjects;
    return new cls({
      ...rest,
      mainPath: deserializePath(mainPath, 'mainPath'),
      skipPath: deserializePath(skipPath, 'skipPath'),
    });
  }

  private mismatchMessage(main: Shape, skip: Shape): string {
    const merge = getMerge(this.how);
    return (
      `SkipConnection "${this.name}" cannot ${this.how} its paths: how: '${this.how}' needs ${merge.requirement}, ` +
      `but mainPath (${describePath(this.mainPath)}) outputs ${formatShape(main)} ` +
      `and skipPath (${describePath(this.skipPath)}) outputs ${formatShape(skip)}. ` +
      `To fix it, ${suggestFix(main, skip, this.how)}.`
    );
  }
}
tf.serialization.registerClass(SkipConnection);

/**
 * A skip connection around `mainPath`: `merge(mainPath(x), skipPath(x))`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { skipConnection } from 'tfjs-skip';
 *
 * const model = tf.sequential({
 *   layers: [
 *     tf.layers.dense({ units: 30, inputShape: [50] }),
 *     skipConnection({ mainPath: [tf.layers.dense({ units: 15 }), tf.layers.dense({ units: 30 })] }),
 *   ],
 * });
 * model.outputShape; // => [null, 30]
 * model.countParams(); // => 2475
 * ```
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs';
 * import { skipConnection } from 'tfjs-skip';
 *
 * // A projection on the skip path when the main path changes the width:
 * const block = skipConnection({
 *   inputShape: [8],
 *   mainPath: [tf.layers.dense({ units: 16, activation: 'relu' }), tf.layers.dense({ units: 16 })],
 *   skipPath: tf.layers.dense({ units: 16, useBias: false }),
 * });
 * const model = tf.sequential({ layers: [block] });
 * model.outputShape; // => [null, 16]
 * (model.predict(tf.ones([4, 8])) as tf.Tensor).shape; // => [4, 16]
 * ```
 */
export function skipConnection(args: SkipConnectionArgs): SkipConnection {
  return new SkipConnection(args);
}

function checkArgs(args: SkipConnectionArgs): SkipConnectionArgs {
  if (args == null || typeof args !== 'object') {
    throw new ConfigError(`SkipConnection takes an object {mainPath, skipPath?, how?}, but received ${String(args)}`);
  }
  if (args.how !== undefined && !isMergeName(args.how)) {
    throw new ConfigError(
      `SkipConnection how must be one of ${MERGE_NAMES.map((m) => `'${m}'`).join(', ')}, but received ` +
        `${JSON.stringify(args.how)}`,
    );
  }
  return args;
}

function assertNoLayerTwice(layers: readonly Layer[], name: string): void {
  const seen = new Set<Layer>();
  for (const layer of layers) {
    if (seen.has(layer)) {
      throw new ConfigError(
        `SkipConnection "${name}" received the layer "${layer.name}" twice; each layer instance may appear once ` +
          `across mainPath and skipPath`,
      );
    }
    seen.add(layer);
  }
}

function deserializePath(value: unknown, role: string): Layer[] {
  if (value == null) return [];
  if (!Array.isArray(value)) {
    throw new ConfigError(
      `SkipConnection config ${role} must be an array of {className, config}, but received ` +
        `${JSON.stringify(value)?.slice(0, 200)}`,
    );
  }
  return value.map((item, i) => deserializeLayer(item, `SkipConnection config ${role}[${i}]`));
}

/** What would make `main` and `skip` mergeable, in words. */
function suggestFix(main: Shape, skip: Shape, how: MergeName): string {
  const rank = main.length;
  const target = main[rank - 1];
  const sameButLast = rank === skip.length && main.slice(0, -1).every((d, i) => dimsCompatible(d, skip[i] ?? null));
  let projection: string;
  if (rank === 2) {
    projection = `skipPath: tf.layers.dense({units: ${target}})`;
  } else if (rank === 4 && skip.length === 4) {
    const stride = main[1] != null && skip[1] != null && main[1] > 0 ? skip[1] / main[1] : 1;
    const strides = Number.isInteger(stride) && stride > 1 ? `, strides: ${stride}` : '';
    projection = `skipPath: tf.layers.conv2d({filters: ${target}, kernelSize: 1${strides}})`;
  } else {
    projection = `a skipPath whose output shape is ${formatShape(main)}`;
  }
  if (how === 'concat') {
    return (
      `make both paths keep the same size on every axis but the last (e.g. padding: 'same' and equal strides), ` +
      `or project the skip path (${projection})`
    );
  }
  const concatHint = sameButLast ? `, or use how: 'concat' to stack them on the last axis` : '';
  return `project the skip path to the main path's shape (${projection})${concatHint}`;
}
