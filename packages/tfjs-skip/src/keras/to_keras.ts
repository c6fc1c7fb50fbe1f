import { isRecord } from '../io/config_field.js';
import { ANY_VALUE, entryForTfjs, KERAS_PACKAGE, REFUSED_LAYERS, type LayerEntry } from './layer_table.js';
import { tfjsNodeShift } from './from_keras.js';
import {
  activationToKeras,
  copyJson,
  isActivationKey,
  dtypeToKeras,
  objectKind,
  objectToKeras,
  own,
  put,
  refuse,
  type Json,
  type JsonObject,
} from './keras_values.js';

/** TF.js bookkeeping keys that Keras layers do not take. */
const TFJS_BOOKKEEPING = new Set(['batch_input_shape', 'batch_size', 'input_dtype']);

/**
 * The topology of a TF.js model (`model.json`'s, snake_case) as a Keras 3
 * `config.json`, which `keras.saving.load_model` reads. Every class is
 * looked up in the layer table; tfjs-skip's layers are written as
 * `tfjs_skip>Class` (the Python package `tfjs_skip` registers them).
 */
export function topologyToKeras(topology: unknown, where: string): JsonObject {
  const root = own(topology, 'model_config') ?? topology;
  return layerToKeras(root, 'the model', where);
}

function tfjsEntry(node: unknown, at: string, where: string): LayerEntry {
  const className = own(node, 'class_name');
  if (typeof className !== 'string') refuse('bad-config', where, `${at} is not a TF.js layer ({class_name, config})`);
  const name = own(own(node, 'config'), 'name') ?? own(node, 'name');
  if (typeof name === 'string') at = `${at} "${name}"`;
  const reason = REFUSED_LAYERS.get(className);
  if (reason !== undefined)
    refuse('unsupported-layer', where, `${at} is a ${className} layer, which does not cross to Keras 3: ${reason}`);
  const entry = entryForTfjs(className);
  if (entry === undefined)
    refuse(
      'unsupported-layer',
      where,
      `${at} is a ${JSON.stringify(className)} layer, which is not in the Keras table (see docs/keras.md)`,
    );
  return entry;
}

function layerToKeras(node: unknown, at: string, where: string): JsonObject {
  const entry = tfjsEntry(node, at, where);
  const config = own(node, 'config');
  if (!isRecord(config) && !Array.isArray(config)) refuse('bad-config', where, `${at} (${entry.tfjs}) has no config`);
  const name = own(config, 'name');
  const here = `${at} "${String(name)}" (${entry.tfjs})`;
  let kerasConfig: JsonObject;
  if (entry.keras === 'Sequential') kerasConfig = sequentialToKeras(config, here, where);
  else if (entry.keras === 'Functional')
    kerasConfig = functionalToKeras(config as Record<string, unknown>, here, where);
  else kerasConfig = configToKeras(entry, config as Record<string, unknown>, here, where);
  const out: JsonObject = {
    module: entry.custom
      ? null
      : entry.kerasModule !== undefined
        ? entry.kerasModule
        : entry.keras === 'Functional'
          ? 'keras.src.models.functional'
          : entry.keras === 'Sequential'
            ? 'keras'
            : 'keras.layers',
    class_name: entry.keras,
    config: kerasConfig,
    registered_name: entry.custom
      ? `${KERAS_PACKAGE}>${entry.keras}`
      : entry.keras === 'Functional' || entry.kerasModule !== undefined
        ? entry.keras
        : null,
  };
  return out;
}

function configToKeras(entry: LayerEntry, config: Record<string, unknown>, here: string, where: string): JsonObject {
  const out: JsonObject = {};
  const renamed = new Map(Object.entries(entry.renames ?? {}).map(([keras, tfjs]) => [tfjs, keras]));
  for (const [key, value] of Object.entries(config)) {
    const at = `${here}.${key}`;
    if (entry.keras !== 'InputLayer' && TFJS_BOOKKEEPING.has(key)) continue;
    const tfjsOnly = entry.tfjsOnly;
    if (tfjsOnly !== undefined && Object.prototype.hasOwnProperty.call(tfjsOnly, key)) {
      if (tfjsOnly[key] !== ANY_VALUE && JSON.stringify(value) !== JSON.stringify(tfjsOnly[key]))
        refuse(
          'unsupported-config',
          where,
          `${at} is ${JSON.stringify(value)}; Keras 3's ${entry.keras} has no ${key}`,
        );
      continue;
    }
    const kerasKey = renamed.get(key) ?? key;
    put(out, kerasKey, valueToKeras(entry, key, value, at, where), where);
  }
  if (entry.keras === 'InputLayer') {
    if (typeof out['dtype'] !== 'string') out['dtype'] = 'float32';
  } else if (out['dtype'] === undefined) out['dtype'] = dtypeToKeras('float32');
  return out;
}

function valueToKeras(entry: LayerEntry, key: string, value: unknown, at: string, where: string): Json {
  if (key === 'dtype')
    return entry.keras === 'InputLayer' ? (typeof value === 'string' ? value : 'float32') : dtypeToKeras(value);
  if (isActivationKey(key)) return activationToKeras(value, at);
  const kind = objectKind(key);
  if (kind !== undefined) return objectToKeras(kind, value, at);
  if (entry.sublayerLists?.includes(key)) {
    const list = Array.isArray(value) ? value : value == null ? [] : [value];
    return list.map((layer, i) => layerToKeras(layer, `${at}[${i}]`, where));
  }
  return copyJson(value, where);
}

/** TF.js Sequential: the first layer carries `batch_input_shape`; Keras 3 opens with an InputLayer. */
function sequentialToKeras(config: unknown, here: string, where: string): JsonObject {
  const layers = Array.isArray(config) ? config : own(config, 'layers');
  if (!Array.isArray(layers) || layers.length === 0) refuse('bad-config', where, `${here} has no layers`);
  const name = typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : 'sequential';
  const out: Json[] = [];
  const first = own(layers[0], 'config');
  const batchShape = own(first, 'batch_input_shape');
  if (own(layers[0], 'class_name') !== 'InputLayer') {
    if (!Array.isArray(batchShape))
      refuse('bad-config', where, `${here}: its first layer has no batch_input_shape, so Keras cannot build it`);
    out.push({
      module: 'keras.layers',
      class_name: 'InputLayer',
      config: {
        batch_shape: copyJson(batchShape, where),
        dtype:
          typeof own(first, 'dtype') === 'string' && own(first, 'dtype') !== 'float32'
            ? (own(first, 'dtype') as string)
            : 'float32',
        sparse: false,
        ragged: false,
        name: `${name}_input`,
        optional: false,
      },
      registered_name: null,
    });
  }
  layers.forEach((layer, i) => out.push(layerToKeras(layer, `${here}.layers[${i}]`, where)));
  return { name, trainable: true, dtype: dtypeToKeras('float32'), layers: out };
}

/**
 * TF.js functional: inbound nodes `[[layer, node, tensor, kwargs], ...]`, written as Keras's list form (a nested
 * Sequential's call nodes count from 0 in Keras).
 */
function functionalToKeras(config: Record<string, unknown>, here: string, where: string): JsonObject {
  const layers = own(config, 'layers');
  if (!Array.isArray(layers)) refuse('bad-config', where, `${here} has no layers list`);
  const classes = new Map<string, unknown>();
  for (const layer of layers) classes.set(String(own(layer, 'name')), own(layer, 'class_name'));
  const ref = (value: unknown, at: string, inCallNode = true): Json[] => {
    if (
      !Array.isArray(value) ||
      typeof value[0] !== 'string' ||
      !Number.isSafeInteger(value[1]) ||
      !Number.isSafeInteger(value[2])
    ) {
      refuse('bad-config', where, `${at} is not a tensor reference [layer, node, tensor]`);
    }
    const kwargs: unknown = value[3];
    if (isRecord(kwargs) && Object.keys(kwargs).length > 0)
      refuse(
        'unsupported-config',
        where,
        `${at} passes call arguments ${JSON.stringify(kwargs).slice(0, 60)}; they do not cross`,
      );
    return [value[0], (value[1] as number) - tfjsNodeShift(classes.get(value[0]), inCallNode), value[2] as number];
  };
  const out: JsonObject = {
    name: typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : 'functional',
    trainable: true,
    layers: layers.map((layer, i) => {
      const at = `${here}.layers[${i}]`;
      const translated = layerToKeras(layer, at, where);
      const nodes = own(layer, 'inbound_nodes') ?? [];
      if (!Array.isArray(nodes)) refuse('bad-config', where, `${at}.inbound_nodes is not a list`);
      translated['name'] = (own(layer, 'name') ?? null) as Json;
      translated['inbound_nodes'] = nodes.map((node, n) => {
        if (!Array.isArray(node)) refuse('bad-config', where, `${at}.inbound_nodes[${n}] is not a list`);
        return node.map((tensor, t) => [...ref(tensor, `${at}.inbound_nodes[${n}][${t}]`), {}]);
      });
      return translated;
    }),
    input_layers: refs(own(config, 'input_layers'), `${here}.input_layers`, ref, where),
    output_layers: refs(own(config, 'output_layers'), `${here}.output_layers`, ref, where),
  };
  return out;
}

function refs(
  value: unknown,
  at: string,
  ref: (v: unknown, at: string, inCallNode: boolean) => Json[],
  where: string,
): Json {
  if (!Array.isArray(value)) refuse('bad-config', where, `${at} is not a list`);
  const list = value.map((item, i) => ref(item, `${at}[${i}]`, false));
  return list.length === 1 ? list[0] : list;
}
