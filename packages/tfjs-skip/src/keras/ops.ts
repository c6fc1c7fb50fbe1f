import { isRecord } from '../io/config_field.js';
import { own, put, refuse, type Json, type JsonObject } from './keras_values.js';

/** Translates one inbound-node reference of a Keras 3 call (a `__keras_tensor__` history) to TF.js's. */
export type Ref = (history: unknown, at: string, inCallNode?: boolean) => Json[];

/**
 * Keras 3 functional models record operations on tensors (`x + 3.0`, `x * y`) as nodes of
 * `keras.src.ops` classes, not layers (MobileNetV3's hard sigmoid, ConvNeXt's residual sums).
 * The ones the applications use cross as TF.js layers computing the same thing, which Keras also
 * has: two tensors added or multiplied are `Add` / `Multiply`; a tensor and a number are a
 * `Rescaling` (`x * scale + offset`, with `scale` 1 or `offset` 0: the same float operation).
 * Saved back, they are those Keras layers.
 */
const OPS: ReadonlyMap<string, 'add' | 'multiply'> = new Map([
  ['Add', 'add'],
  ['Multiply', 'multiply'],
]);

const OPS_MODULE = 'keras.src.ops.numpy';

/**
 * True for a layer node of Keras's functional config that is an operation: `module`
 * `keras.src.ops...`, or, in a legacy `.h5` (which names no module), an `Add` or `Multiply` called
 * with two positional arguments (the layers take one list).
 */
export function isKerasOp(node: unknown): boolean {
  const module = own(node, 'module');
  if (typeof module === 'string') return module === 'keras.src.ops' || module.startsWith('keras.src.ops.');
  const nodes = own(node, 'inbound_nodes');
  const args = Array.isArray(nodes) ? own(nodes[0], 'args') : undefined;
  return OPS.has(String(own(node, 'class_name'))) && Array.isArray(args) && args.length === 2;
}

/** An operation node as the TF.js layer (with its inbound node) computing the same. */
export function opFromKeras(node: unknown, at: string, where: string, ref: Ref): JsonObject {
  const className = own(node, 'class_name');
  const name = own(node, 'name') ?? own(own(node, 'config'), 'name');
  const op = typeof className === 'string' ? OPS.get(className) : undefined;
  const module = own(node, 'module') ?? OPS_MODULE;
  const opName = `${typeof module === 'string' ? module : JSON.stringify(module)}.${String(className)}`;
  if (module !== OPS_MODULE || op === undefined || typeof name !== 'string')
    refuse(
      'unsupported-layer',
      where,
      `${at} "${String(name)}" is the Keras operation ${opName}; only ` +
        `${[...OPS.keys()].map((k) => `${OPS_MODULE}.${k}`).join(' and ')} cross (as TF.js layers)`,
    );
  const nodes = own(node, 'inbound_nodes');
  if (!Array.isArray(nodes) || nodes.length !== 1)
    refuse('unsupported-config', where, `${at} "${name}": an operation must be called once, in one inbound node`);
  const args = own(nodes[0], 'args');
  const kwargs = own(nodes[0], 'kwargs') ?? {};
  if (!Array.isArray(args) || args.length !== 2 || !isRecord(kwargs) || Object.keys(kwargs).length > 0)
    refuse(
      'unsupported-config',
      where,
      `${at} "${name}" (${String(className)}) must take two arguments and no keyword arguments; received ` +
        `${JSON.stringify(nodes[0])?.slice(0, 120)}`,
    );
  const isTensor = (a: unknown) => own(a, 'class_name') === '__keras_tensor__';
  const tensorRef = (a: unknown, i: number): Json => [
    ...ref(own(own(a, 'config'), 'keras_history'), `${at}.inbound_nodes[0].args[${i}]`),
    {},
  ];
  const base: JsonObject = { name, trainable: true, dtype: 'float32' };
  const out: JsonObject = {};
  if (isTensor(args[0]) && isTensor(args[1])) {
    put(out, 'class_name', op === 'add' ? 'Add' : 'Multiply', where);
    put(out, 'config', base, where);
    put(out, 'inbound_nodes', [[tensorRef(args[0], 0), tensorRef(args[1], 1)]], where);
  } else {
    const tensorAt = isTensor(args[0]) ? 0 : 1;
    const constant: unknown = args[1 - tensorAt];
    if (!isTensor(args[tensorAt]) || typeof constant !== 'number' || !Number.isFinite(constant))
      refuse(
        'unsupported-config',
        where,
        `${at} "${name}" (${String(className)}) takes a tensor and a finite number, or two tensors; received ` +
          `${JSON.stringify(args)?.slice(0, 120)}`,
      );
    put(out, 'class_name', 'Rescaling', where);
    put(
      out,
      'config',
      { ...base, scale: op === 'multiply' ? constant : 1, offset: op === 'add' ? constant : 0 },
      where,
    );
    put(out, 'inbound_nodes', [[tensorRef(args[tensorAt], tensorAt)]], where);
  }
  put(out, 'name', name, where);
  return out;
}
