import { isRecord } from '../io/config_field.js';
import { ANY_VALUE, entryForKeras, KERAS_PACKAGE, REFUSED_LAYERS, type LayerEntry } from './layer_table.js';
import { isKerasOp, opFromKeras, type Ref } from './ops.js';
import {
  activationFromKeras,
  copyJson,
  isActivationKey,
  dtypeFromKeras,
  objectFromKeras,
  objectKind,
  own,
  put,
  refuse,
  type Json,
  type JsonObject,
} from './keras_values.js';

/** Keys of a Keras layer node that are Keras bookkeeping, never passed to TF.js. */
const KERAS_BOOKKEEPING = new Set(['module', 'registered_name', 'build_config', 'compile_config', 'shared_object_id']);

/**
 * A Keras 3 `config.json` (or a legacy `.h5`'s `model_config`) as the
 * topology of a TF.js `model.json` (snake_case keys, as TF.js saves it).
 * Every class is looked up in the layer table; `module` and
 * `registered_name` are read only to refuse what is not ours, never
 * resolved or imported. Call it on a config whose depth was checked.
 */
export function topologyFromKeras(config: unknown, where: string, kerasVersion?: string): JsonObject {
  // Set for this synchronous call only: which Keras wrote the file decides what `hard_sigmoid` means.
  writtenByKeras2 = typeof kerasVersion === 'string' && /^2\./.test(kerasVersion);
  try {
    return rootFromKeras(config, where);
  } finally {
    writtenByKeras2 = false;
  }
}

let writtenByKeras2 = false;

function rootFromKeras(config: unknown, where: string): JsonObject {
  const root = layerFromKeras(config, 'the model', where, true);
  if (root['class_name'] !== 'Sequential' && root['class_name'] !== 'Model') {
    refuse(
      'bad-config',
      where,
      `the file's root is a ${JSON.stringify(root['class_name'])}, not a Sequential or Functional model`,
    );
  }
  return {
    class_name: root['class_name'],
    config: root['config'] ?? null,
    keras_version: 'tfjs-layers 4.22.0',
    backend: 'tensor_flow.js',
  };
}

function kerasEntry(node: unknown, at: string, where: string): { entry: LayerEntry; className: string } {
  const written = own(node, 'class_name');
  // Keras's legacy `.h5` writes registered classes as `package>Class`.
  const className =
    typeof written === 'string' && written.startsWith(`${KERAS_PACKAGE}>`)
      ? written.slice(KERAS_PACKAGE.length + 1)
      : written;
  if (!isRecord(node) || typeof className !== 'string') {
    refuse(
      'bad-config',
      where,
      `${at} is not a Keras layer ({class_name, config}); received ${JSON.stringify(node)?.slice(0, 80)}`,
    );
  }
  const name = own(own(node, 'config'), 'name') ?? own(node, 'name');
  if (typeof name === 'string') at = `${at} "${name}"`;
  const reason = REFUSED_LAYERS.get(className);
  if (reason !== undefined) refuse('unsupported-layer', where, `${at} is a ${className} layer, refused: ${reason}`);
  const config = own(node, 'config');
  const entry = entryForKeras(className, isRecord(config) ? config : {}, own(node, 'module'));
  if (entry === undefined) {
    refuse(
      'unsupported-layer',
      where,
      `${at} is a ${JSON.stringify(className)} layer, which is not in the Keras allow-list (see docs/keras.md); ` +
        `TF.js has no equivalent tfjs-skip can map`,
    );
  }
  const registered = own(node, 'registered_name');
  const ours =
    registered == null ||
    registered === className ||
    registered === entry.keras ||
    registered === `${KERAS_PACKAGE}>${entry.keras}`;
  if (!ours) {
    refuse(
      'unsupported-layer',
      where,
      `${at} is a ${className} registered as ${JSON.stringify(registered)}, a custom class of another package; only ` +
        `${KERAS_PACKAGE}>${entry.keras} crosses`,
    );
  }
  const module = own(node, 'module');
  if (module != null && typeof module !== 'string')
    refuse('bad-config', where, `${at} has a module that is not a string`);
  return { entry, className };
}

function layerFromKeras(node: unknown, at: string, where: string, root = false): JsonObject {
  const { entry } = kerasEntry(node, at, where);
  const config = own(node, 'config');
  if (!isRecord(config)) refuse('bad-config', where, `${at} (${entry.keras}) has no config object`);
  const name = typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : at;
  const here = `${at} "${name}" (${entry.keras})`;
  const out: JsonObject = { class_name: entry.tfjs };
  if (entry.keras === 'Sequential') out['config'] = sequentialFromKeras(config, here, where);
  else if (entry.keras === 'Functional') out['config'] = functionalFromKeras(config, here, where);
  else out['config'] = configFromKeras(entry, config, here, where);
  if (!root && own(node, 'name') !== undefined) out['name'] = copyJson(own(node, 'name'), where);
  return out;
}

function configFromKeras(entry: LayerEntry, config: Record<string, unknown>, here: string, where: string): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(config)) {
    if (KERAS_BOOKKEEPING.has(key)) continue;
    const at = `${here}.${key}`;
    const kerasOnly = entry.kerasOnly;
    if (kerasOnly !== undefined && Object.prototype.hasOwnProperty.call(kerasOnly, key)) {
      if (
        kerasOnly[key] !== ANY_VALUE &&
        !sameJson(value, kerasOnly[key]) &&
        !(key === 'renorm_momentum' && own(config, 'renorm') !== true)
      ) {
        refuse(
          'unsupported-config',
          where,
          `${at} is ${JSON.stringify(value)}; TF.js's ${entry.tfjs} only computes ${key} = ` +
            `${JSON.stringify(kerasOnly[key])}`,
        );
      }
      continue;
    }
    if (
      entry.refusedValues?.[key]?.some((v) => sameJson(v, value)) ||
      (entry.onlyValues !== undefined &&
        Object.prototype.hasOwnProperty.call(entry.onlyValues, key) &&
        !sameJson(value, entry.onlyValues[key]))
    ) {
      refuse(
        'unsupported-config',
        where,
        `${at} is ${JSON.stringify(value)}, which TF.js's ${entry.tfjs} does not compute`,
      );
    }
    const tfjsKey =
      entry.renames !== undefined && Object.prototype.hasOwnProperty.call(entry.renames, key)
        ? entry.renames[key]
        : key;
    put(out, tfjsKey, valueFromKeras(entry, key, value, at, where), where);
  }
  return out;
}

function valueFromKeras(entry: LayerEntry, key: string, value: unknown, at: string, where: string): Json {
  if (key === 'dtype') return dtypeFromKeras(value, at, entry.keras === 'InputLayer');
  if (isActivationKey(key)) return activationFromKeras(value, at, writtenByKeras2);
  const kind = objectKind(key);
  if (kind !== undefined) return objectFromKeras(kind, value, at);
  if (entry.sublayerLists?.includes(key)) {
    if (value == null) return [];
    if (!Array.isArray(value)) return [layerFromKeras(value, at, where)];
    return value.map((layer, i) => layerFromKeras(layer, `${at}[${i}]`, where));
  }
  return copyJson(value, where);
}

function sequentialFromKeras(config: Record<string, unknown>, here: string, where: string): JsonObject {
  const layers = own(config, 'layers');
  if (!Array.isArray(layers)) refuse('bad-config', where, `${here} has no layers list`);
  const out: JsonObject = { layers: layers.map((layer, i) => layerFromKeras(layer, `${here}.layers[${i}]`, where)) };
  if (typeof own(config, 'name') === 'string') out['name'] = own(config, 'name') as string;
  return out;
}

/**
 * How many nodes a nested model's call node index is ahead in TF.js. A
 * nested model has a node of its own in TF.js (from its construction), so
 * its calls count from 1. Keras 3 counts them from 0 in call nodes, and in
 * `input_layers`/`output_layers` from 1 for a functional model (its
 * `from_config` subtracts 1) but from 0 for a Sequential one.
 */
export function tfjsNodeShift(className: unknown, inCallNode: boolean): number {
  if (className === 'Sequential') return 1;
  return inCallNode && (className === 'Functional' || className === 'Model') ? 1 : 0;
}

function functionalFromKeras(config: Record<string, unknown>, here: string, where: string): JsonObject {
  const layers = own(config, 'layers');
  if (!Array.isArray(layers)) refuse('bad-config', where, `${here} has no layers list`);
  const classes = new Map<string, unknown>();
  for (const layer of layers)
    classes.set(String(own(layer, 'name') ?? own(own(layer, 'config'), 'name')), own(layer, 'class_name'));
  const ref = (history: unknown, at: string, inCallNode = true): Json[] => {
    if (
      !Array.isArray(history) ||
      history.length < 3 ||
      typeof history[0] !== 'string' ||
      !history.slice(1, 3).every((n) => Number.isSafeInteger(n) && n >= 0)
    ) {
      refuse(
        'bad-config',
        where,
        `${at} is not a tensor reference [layer, node, tensor]: ${JSON.stringify(history)?.slice(0, 80)}`,
      );
    }
    const [name, node, tensor] = history as [string, number, number];
    return [name, node + tfjsNodeShift(classes.get(name), inCallNode), tensor];
  };
  const out: JsonObject = {
    name: typeof own(config, 'name') === 'string' ? (own(config, 'name') as string) : 'model',
    layers: layers.map((layer, i) => {
      const at = `${here}.layers[${i}]`;
      if (isKerasOp(layer)) return opFromKeras(layer, at, where, ref);
      const translated = layerFromKeras(layer, at, where);
      const nodes = own(layer, 'inbound_nodes') ?? [];
      if (!Array.isArray(nodes)) refuse('bad-config', where, `${at}.inbound_nodes is not a list`);
      put(translated, 'name', (own(layer, 'name') ?? own(own(layer, 'config'), 'name') ?? null) as Json, where);
      put(
        translated,
        'inbound_nodes',
        nodes.map((node, n) => nodeFromKeras(node, `${at}.inbound_nodes[${n}]`, where, ref)),
        where,
      );
      return translated;
    }),
    input_layers: refList(own(config, 'input_layers'), `${here}.input_layers`, ref, where),
    output_layers: refList(own(config, 'output_layers'), `${here}.output_layers`, ref, where),
  };
  return out;
}

/**
 * Keras 3's `{args, kwargs}` call node (tensors as `__keras_tensor__`) as TF.js's list of `[layer, node, tensor,
 * kwargs]`.
 */
function nodeFromKeras(node: unknown, at: string, where: string, ref: Ref): Json[] {
  if (Array.isArray(node)) return node.map((t, i) => [...ref(t, `${at}[${i}]`), {}]); // Keras 2's form
  const args = own(node, 'args');
  if (!Array.isArray(args) || args.length !== 1) {
    refuse(
      'unsupported-config',
      where,
      `${at} calls its layer with ${Array.isArray(args) ? args.length : 'no'} positional arguments; TF.js layers ` +
        `take one (a tensor or a list)`,
    );
  }
  const kwargs = own(node, 'kwargs') ?? {};
  if (!isRecord(kwargs)) refuse('bad-config', where, `${at}.kwargs is not an object`);
  for (const [key, value] of Object.entries(kwargs)) {
    // training=False pins a layer to inference in Keras; TF.js passes training itself (predict: off, fit: on).
    if (value !== null && !(key === 'training' && value === false))
      refuse(
        'unsupported-config',
        where,
        `${at} passes ${key}=${JSON.stringify(value)?.slice(0, 40)}; TF.js call nodes carry no arguments`,
      );
  }
  const tensors = Array.isArray(args[0]) ? args[0] : [args[0]];
  return tensors.map((tensor, i) => {
    if (own(tensor, 'class_name') !== '__keras_tensor__')
      refuse(
        'unsupported-config',
        where,
        `${at}.args[${i}] is not a Keras tensor (a constant or a nested structure does not cross)`,
      );
    return [...ref(own(own(tensor, 'config'), 'keras_history'), `${at}.args[${i}]`), {}];
  });
}

/** `["inp", 0, 0]` (one) or `[["a", 0, 0], ...]` (several) as TF.js's list of references. */
function refList(value: unknown, at: string, ref: Ref, where: string): Json[] {
  if (Array.isArray(value) && typeof value[0] === 'string') return [ref(value, at, false)];
  if (!Array.isArray(value)) refuse('bad-config', where, `${at} is not a list of tensor references`);
  return value.map((item, i) => ref(item, `${at}[${i}]`, false));
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
