import { isPrototypeName } from '../io/config_names.js';
import { isRecord } from '../io/config_field.js';
import { ModelFileError, type ModelFileProblem } from '../io/model_file_error.js';
import { ACTIVATIONS, CONSTRAINTS, INITIALIZERS, REGULARIZERS } from './layer_table.js';

/** A JSON object built by the translation: own, enumerable keys only. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function refuse(problem: ModelFileProblem, where: string, message: string): never {
  throw new ModelFileError(problem, `${where}: ${message}`);
}

/** A fresh object with `key` set as an own property, refusing names that reach `Object.prototype`. */
export function put(target: JsonObject, key: string, value: Json, where: string): void {
  if (isPrototypeName(key))
    refuse('prototype-key', where, `the key ${JSON.stringify(key)} would reach Object.prototype`);
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A deep copy of plain JSON data, refusing prototype keys (values that are not JSON become null). */
export function copyJson(value: unknown, where: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (Array.isArray(value)) return value.map((v) => copyJson(v, where));
  if (isRecord(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) put(out, k, copyJson(v, where), where);
    return out;
  }
  return null;
}

export function own(record: unknown, key: string): unknown {
  return isRecord(record) && Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

const KERAS_DTYPES = new Set(['float32', 'int32']);

/** A Keras dtype (a string, or a `DTypePolicy` object) as TF.js's dtype string. */
export function dtypeFromKeras(value: unknown, where: string, allowInt: boolean): string {
  let name: unknown = value;
  if (isRecord(value)) {
    const cls = own(value, 'class_name');
    if (cls !== 'DTypePolicy' && cls !== 'FloatDTypePolicy') {
      refuse(
        'unsupported-config',
        where,
        `dtype is a ${JSON.stringify(cls)} object; only DTypePolicy crosses to TF.js`,
      );
    }
    name = own(own(value, 'config'), 'name');
  }
  if (typeof name !== 'string' || !KERAS_DTYPES.has(name) || (!allowInt && name !== 'float32')) {
    refuse(
      'unsupported-config',
      where,
      `dtype ${JSON.stringify(name)} has no TF.js equivalent (TF.js layers compute in float32; mixed precision does ` +
        `not cross)`,
    );
  }
  return name;
}

/** TF.js's dtype string as the `DTypePolicy` object Keras 3 writes. */
export function dtypeToKeras(value: unknown): Json {
  const name = typeof value === 'string' ? value : 'float32';
  return { module: 'keras', class_name: 'DTypePolicy', config: { name }, registered_name: null };
}

/** `activation`, `recurrent_activation`, ...: keys holding an activation name. */
export const isActivationKey = (key: string) => key === 'activation' || key.endsWith('_activation');

/**
 * A Keras activation name as TF.js's. `keras2`: the file was written by
 * Keras 2, whose `hard_sigmoid` (`0.2x + 0.5`, clipped) is TF.js's; Keras
 * 3's (`relu6(x + 3) / 6`) is not.
 */
export function activationFromKeras(value: unknown, where: string, keras2 = false): string {
  if (keras2 && value === 'hard_sigmoid') return 'hard_sigmoid';
  const tfjs = typeof value === 'string' ? ACTIVATIONS.get(value) : undefined;
  if (tfjs === undefined) {
    const what = typeof value === 'string' ? JSON.stringify(value) : 'a serialized object (a custom activation)';
    refuse(
      'unsupported-config',
      where,
      `activation ${what} has no TF.js equivalent; crossing: ${[...ACTIVATIONS.keys()].join(', ')}`,
    );
  }
  return tfjs;
}

export function activationToKeras(value: unknown, where: string): string {
  for (const [keras, tfjs] of ACTIVATIONS) if (tfjs === value) return keras;
  return refuse('unsupported-config', where, `the TF.js activation ${JSON.stringify(value)} has no Keras 3 equivalent`);
}

type Kind = 'initializer' | 'regularizer' | 'constraint';

/** Which kind of object a config key holds, from its name (`kernel_initializer`, ...). */
export function objectKind(key: string): Kind | undefined {
  if (key.endsWith('_initializer')) return 'initializer';
  if (key.endsWith('_regularizer')) return 'regularizer';
  if (key.endsWith('_constraint')) return 'constraint';
  return undefined;
}

/**
 * A Keras initializer, regularizer or constraint (`{module, class_name,
 * config, registered_name}`, or a bare name) as TF.js's `{class_name,
 * config}`. `module` is never resolved: the class must be in the table.
 */
export function objectFromKeras(kind: Kind, value: unknown, where: string): Json {
  if (value === null || value === undefined) return null;
  const cls = typeof value === 'string' ? kerasObjectName(value) : own(value, 'class_name');
  const config = typeof value === 'string' ? {} : (own(value, 'config') ?? {});
  if (typeof cls !== 'string' || !isRecord(config))
    refuse('unsupported-config', where, `the ${kind} is not {class_name, config}`);
  const out = copyJson(config, where) as JsonObject;
  if (kind === 'initializer') {
    const tfjs = INITIALIZERS.get(cls);
    if (tfjs === undefined)
      refuse('unsupported-config', where, `the initializer ${JSON.stringify(cls)} has no TF.js equivalent`);
    for (const key of ['input_axes', 'output_axes']) {
      if (own(out, key) != null)
        refuse('unsupported-config', where, `initializer ${cls} with ${key} has no TF.js equivalent`);
      delete out[key];
    }
    const distribution = own(out, 'distribution');
    if (distribution === 'untruncated_normal') out['distribution'] = 'normal';
    return { class_name: tfjs, config: out };
  }
  if (kind === 'regularizer') {
    if (!REGULARIZERS.has(cls))
      refuse('unsupported-config', where, `the regularizer ${JSON.stringify(cls)} has no TF.js equivalent`);
    return { class_name: 'L1L2', config: { l1: numberOr(own(out, 'l1'), 0), l2: numberOr(own(out, 'l2'), 0) } };
  }
  if (!CONSTRAINTS.has(cls))
    refuse('unsupported-config', where, `the constraint ${JSON.stringify(cls)} has no TF.js equivalent`);
  return { class_name: cls, config: out };
}

/** TF.js's `{class_name, config}` as the Keras 3 object. */
export function objectToKeras(kind: Kind, value: unknown, where: string): Json {
  if (value === null || value === undefined) return null;
  const cls = own(value, 'class_name');
  const config = copyJson(own(value, 'config') ?? {}, where) as JsonObject;
  const module = `keras.${kind}s`;
  if (kind === 'initializer') {
    const keras = [...INITIALIZERS].find(([, tfjs]) => tfjs === cls)?.[0];
    if (keras === undefined)
      refuse('unsupported-config', where, `the TF.js initializer ${JSON.stringify(cls)} has no Keras 3 equivalent`);
    if (own(config, 'distribution') === 'normal') config['distribution'] = 'truncated_normal';
    return { module, class_name: keras, config, registered_name: null };
  }
  if (kind === 'regularizer') {
    if (cls !== 'L1L2')
      refuse('unsupported-config', where, `the TF.js regularizer ${JSON.stringify(cls)} has no Keras 3 equivalent`);
    return {
      module,
      class_name: 'L1L2',
      config: { l1: numberOr(own(config, 'l1'), 0), l2: numberOr(own(config, 'l2'), 0) },
      registered_name: null,
    };
  }
  if (typeof cls !== 'string' || !CONSTRAINTS.has(cls))
    refuse('unsupported-config', where, `the TF.js constraint ${JSON.stringify(cls)} has no Keras 3 equivalent`);
  return { module, class_name: cls, config, registered_name: null };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' ? value : fallback;
}

/** Keras accepts bare snake_case names (`'glorot_uniform'`, `'l2'`); the class they name. */
function kerasObjectName(name: string): string {
  const special: Record<string, string> = {
    l1: 'L1',
    l2: 'L2',
    l1_l2: 'L1L2',
    max_norm: 'MaxNorm',
    min_max_norm: 'MinMaxNorm',
    non_neg: 'NonNeg',
    unit_norm: 'UnitNorm',
  };
  if (Object.prototype.hasOwnProperty.call(special, name)) return special[name];
  return name
    .split('_')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}
