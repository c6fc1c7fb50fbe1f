import * as tf from '@tensorflow/tfjs';
import { buildFromTopology, disposeModel } from '../io/build_model.js';
import { checkModelArtifacts } from '../io/check_artifacts.js';
import { resolveLoadLimits, type LoadModelOptions } from '../io/load_limits.js';
import { SkipConnection } from '../skip_connection.js';
import { entryForTfjs, kerasSnakeCase } from './layer_table.js';
import { own, refuse } from './keras_values.js';
// The layers Keras files may hold, registered before any model is built; tfjs-skip's BatchNormalization in
// tfjs-layers' place (it trains with scale=false, which tfjs-layers' cannot).
import './layers/index.js';
import '../blocks/batch_norm.js';
// Keras's AveragePooling2D(padding='same') trains as in Keras (tfjs-core's gradient is wrong at the borders).
import '../gradients/avg_pool.js';

/** One weight, as TF.js names it and where each Keras format keeps it. */
export interface WeightSlot {
  /** The weight's name in TF.js (`originalName`, the manifest's name). */
  readonly tfjsName: string;
  readonly shape: readonly number[];
  /** Keras 3 `model.weights.h5`: the dataset path, `layers/<snake_class>/vars/<i>`. */
  readonly kerasPath: string;
  /** Legacy `.h5`: the top-level layer whose group holds it. */
  readonly legacyLayer: string;
  /** Legacy `.h5`: its name in that group's `weight_names`. */
  readonly legacyName: string;
  /** Keras keeps it as an int64 (Normalization's `count`); TF.js as a float32. */
  readonly integer: boolean;
}

/** A layer's group in `model.weights.h5`, with the `name` attribute Keras gives its `vars`. */
export interface LayerGroup {
  readonly path: string;
  readonly name: string;
}

export interface WeightLayout {
  readonly slots: readonly WeightSlot[];
  /** Every layer's group (weightless ones too), as Keras writes them. */
  readonly groups: readonly LayerGroup[];
  /** Top-level layers in order, for the legacy `layer_names`. */
  readonly topLayers: readonly string[];
}

/**
 * Where every weight of a TF.js topology lives in a Keras file, and what TF.js
 * calls it. Keras 3 names a layer's group after its class
 * (`naming.to_snake_case`, with `_1`, `_2`, ... for repeats among siblings)
 * and numbers its own variables in creation order; the legacy format lists
 * each top-level layer's weights (trainable first) under its name. TF.js
 * keeps the same per-layer order, so the layout pairs them by position.
 *
 * The TF.js names and shapes come from the model TF.js builds from the
 * topology: every JSON-only check (`checkModelArtifacts`: depth, names,
 * classes, the parameter cap) runs first, the build is leak-free with
 * weights initialised to zeros, and the model is disposed before returning.
 */
export function weightLayout(
  topology: tf.io.ModelArtifacts['modelTopology'],
  options: LoadModelOptions,
  where: string,
): WeightLayout {
  checkModelArtifacts({ modelTopology: topology, weightSpecs: [] }, resolveLoadLimits(options), where);
  const model = buildFromTopology(topology, where);
  try {
    const slots: WeightSlot[] = [];
    const groups: LayerGroup[] = [{ path: '', name: model.name }];
    const topLayers: string[] = [];
    const root = own(topology, 'model_config') ?? topology;
    walkContainer(
      own(root, 'class_name'),
      own(root, 'config'),
      model,
      '',
      { slots, groups, topLayers, top: true },
      where,
    );
    return { slots, groups, topLayers };
  } finally {
    disposeModel(model);
  }
}

interface Walk {
  slots: WeightSlot[];
  groups: LayerGroup[];
  topLayers: string[];
  top: boolean;
}

function walkContainer(
  className: unknown,
  config: unknown,
  model: tf.LayersModel,
  path: string,
  walk: Walk,
  where: string,
): void {
  const layers = (Array.isArray(config) ? config : own(config, 'layers')) as unknown[];
  const used = new Map<string, number>();
  for (const node of layers) {
    const cls = own(node, 'class_name');
    if (className === 'Sequential' && cls === 'InputLayer') continue; // Keras's Sequential.layers leaves it out
    const name = (own(node, 'name') ?? own(own(node, 'config'), 'name')) as string;
    const layer = model.getLayer(name);
    const childPath = `${path}layers/${uniqueSnake(String(cls), used)}`;
    if (walk.top) walk.topLayers.push(name);
    walkLayer(node, layer, childPath, { ...walk, top: false }, walk.top ? name : undefined, where);
  }
}

function walkLayer(
  node: unknown,
  layer: tf.layers.Layer,
  path: string,
  walk: Walk,
  topName: string | undefined,
  where: string,
): void {
  walk.groups.push({ path, name: layer.name });
  const cls = String(own(node, 'class_name'));
  const entry = entryForTfjs(cls);
  const before = walk.slots.length;
  if (cls === 'Sequential' || cls === 'Model' || cls === 'Functional') {
    walkContainer(cls, own(node, 'config'), layer as tf.LayersModel, `${path}/`, walk, where);
  } else if (entry?.sublayerLists !== undefined && layer instanceof SkipConnection) {
    const lists: Record<string, readonly tf.layers.Layer[]> = { main_path: layer.mainPath, skip_path: layer.skipPath };
    for (const key of entry.sublayerLists) {
      const configs = (own(own(node, 'config'), key) ?? []) as unknown[];
      const objects = lists[key] ?? [];
      const used = new Map<string, number>();
      configs.forEach((sub, i) =>
        walkLayer(
          sub,
          objects[i],
          `${path}/${key}/${uniqueSnake(String(own(sub, 'class_name')), used)}`,
          walk,
          undefined,
          where,
        ),
      );
    }
  } else {
    ownWeights(
      layer,
      entry?.varsGroup === undefined ? path : `${path}/${entry.varsGroup}`,
      walk,
      entry?.integerWeights ?? [],
    );
    if (entry?.varsGroup !== undefined)
      walk.groups.push({ path: `${path}/${entry.varsGroup}`, name: `${layer.name}_${entry.varsGroup}` });
  }
  if (topName !== undefined) {
    // Legacy: this top-level layer's group lists all its weights, nested ones included, in TF.js order (trainable
    // first).
    const mine = new Map(walk.slots.slice(before).map((s, i) => [s.tfjsName, i + before]));
    const ordered = layer.weights.map((w) => {
      const index = mine.get(w.originalName);
      if (index === undefined)
        refuse(
          'weights-mismatch',
          where,
          `layer "${topName}" has the weight "${w.originalName}", which the Keras layout does not place`,
        );
      return walk.slots[index];
    });
    if (ordered.length !== walk.slots.length - before)
      refuse(
        'weights-mismatch',
        where,
        `layer "${topName}": the Keras layout places weights TF.js's layer does not have`,
      );
    walk.slots.splice(
      before,
      ordered.length,
      ...ordered.map((s) => ({ ...s, legacyLayer: topName, legacyName: legacyName(topName, s.tfjsName) })),
    );
  }
}

/**
 * A layer's own weights: `vars/<i>` in its group, or, for sublayers a
 * tfjs-skip layer creates in `build` (Shortcut's `conv` and `bn`), in the
 * sublayer's group `<name>/vars/<i>`.
 */
function ownWeights(layer: tf.layers.Layer, path: string, walk: Walk, integerWeights: readonly string[]): void {
  const counts = new Map<string, number>();
  for (const weight of layer.weights) {
    const at = weight.originalName.lastIndexOf(`${layer.name}/`);
    const rest = at >= 0 ? weight.originalName.slice(at + layer.name.length + 1) : weight.originalName;
    const parts = rest.split('/');
    const sub = parts.slice(0, -1).join('/');
    const index = counts.get(sub) ?? 0;
    counts.set(sub, index + 1);
    if (index === 0 && sub !== '') walk.groups.push({ path: `${path}/${sub}`, name: sub });
    walk.slots.push({
      tfjsName: weight.originalName,
      shape: weight.shape as number[],
      kerasPath: `${path}${sub === '' ? '' : `/${sub}`}/vars/${index}`,
      legacyLayer: '',
      legacyName: '',
      integer: integerWeights.includes(parts[parts.length - 1]),
    });
  }
}

function uniqueSnake(tfjsClass: string, used: Map<string, number>): string {
  const keras = entryForTfjs(tfjsClass)?.keras ?? tfjsClass;
  const base = kerasSnakeCase(keras);
  const n = used.get(base);
  used.set(base, n === undefined ? 0 : n + 1);
  return n === undefined ? base : `${base}_${n + 1}`;
}

function legacyName(topName: string, tfjsName: string): string {
  return tfjsName.startsWith(`${topName}/`) ? tfjsName : `${topName}/${tfjsName}`;
}
