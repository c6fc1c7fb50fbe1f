import * as tf from '@tensorflow/tfjs';
import { field, isRecord } from './config_field.js';
import { ModelFileError } from './model_file_error.js';

/**
 * True when looking `name` up on a plain object would reach the prototype
 * chain: `__proto__`, `constructor`, `toString`, `hasOwnProperty`, ...
 */
export function isPrototypeName(name: string): boolean {
  return name === '__proto__' || name === 'prototype' || name in Object.prototype;
}

/** TF.js's `toCamelCase`, which it applies to every key and string value of a config. */
export function tfCamelCase(identifier: string): string {
  if (identifier.length <= 1 || !identifier.includes('_')) return identifier;
  return identifier.replace(/[_]+(\w|$)/g, (_m, p1: string) => p1.toUpperCase());
}

function reachesPrototype(text: string): boolean {
  return isPrototypeName(text) || isPrototypeName(tfCamelCase(text));
}

type ClassEntry = [{ prototype: unknown }, unknown];

/** The registered class called `className`, by own key only, or `undefined`. */
export function registeredClass(className: string): ClassEntry[0] | undefined {
  const registry = tf.serialization.SerializationMap.getMap().classNameMap as Record<string, ClassEntry>;
  return Object.prototype.hasOwnProperty.call(registry, className) ? registry[className]?.[0] : undefined;
}

/**
 * Refuses a model topology that names anything TF.js would look up unsafely
 * or could not find:
 * - any key or string value (names, activations, initializers, regularizers,
 *   constraints, merges, ...) that is, or camel-cases to, a member of
 *   `Object.prototype` (`prototype-key`);
 * - any `className` that is not an own key of the `tf.serialization`
 *   registry, and a non-layer class where a layer belongs: the model's
 *   `layers`, a SkipConnection's `mainPath`/`skipPath`, a wrapper's `layer`
 *   (`unknown-class`).
 * Both walks use an explicit stack, so they are safe on any depth.
 */
export function assertSafeNames(topology: unknown, where: string): void {
  assertNoPrototypeNames(topology, where);
  assertLayerClasses(topology, where);
}

function assertNoPrototypeNames(topology: unknown, where: string): void {
  const stack: [unknown, string][] = [[topology, 'modelTopology']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string' && reachesPrototype(node)) {
      throw new ModelFileError(
        'prototype-key',
        `${where}: ${path} is ${JSON.stringify(node)}, a name TF.js would look up on Object.prototype`,
      );
    }
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      if (reachesPrototype(key)) {
        throw new ModelFileError(
          'prototype-key',
          `${where}: ${path} has the key ${JSON.stringify(key)}, which TF.js would read or write on Object.prototype`,
        );
      }
      if (typeof child === 'string' && reachesPrototype(child)) {
        throw new ModelFileError(
          'prototype-key',
          `${where}: ${path}.${key} is ${JSON.stringify(child)}, a name TF.js would look up on Object.prototype`,
        );
      }
      if (
        (key === 'className' || key === 'class_name') &&
        (typeof child !== 'string' || registeredClass(tfCamelCase(child)) === undefined)
      ) {
        throw new ModelFileError(
          'unknown-class',
          `${where}: ${path}.${key} is ${JSON.stringify(child)}, which is not a registered TF.js class; ` +
            `${REGISTER_HINT}`,
        );
      }
      stack.push([child, Array.isArray(node) ? `${path}[${key}]` : `${path}.${key}`]);
    }
  }
}

const REGISTER_HINT = 'register custom classes with tf.serialization.registerClass before loading';

/** The model is a model class, and everything in a layer position is a layer class. */
function assertLayerClasses(topology: unknown, where: string): void {
  const root =
    isRecord(topology) && isRecord(field(topology, 'modelConfig')) ? field(topology, 'modelConfig') : topology;
  const stack: [unknown, string, 'model' | 'layer'][] = [[root, 'modelTopology', 'model']];
  while (stack.length > 0) {
    const [node, path, role] = stack.pop()!;
    const cls = assertClass(node, path, role, where);
    const config = field(node, 'config');
    const push = (items: unknown, at: string) => {
      if (Array.isArray(items)) items.forEach((item, i) => stack.push([item, `${at}[${i}]`, 'layer']));
    };
    if (cls === tf.LayersModel || cls.prototype instanceof tf.LayersModel) {
      push(
        Array.isArray(config) ? config : isRecord(config) ? field(config, 'layers') : undefined,
        `${path}.config.layers`,
      );
    }
    if (isRecord(config)) {
      push(field(config, 'mainPath'), `${path}.config.mainPath`);
      push(field(config, 'skipPath'), `${path}.config.skipPath`);
      const wrapped = field(config, 'layer');
      if (isRecord(wrapped)) stack.push([wrapped, `${path}.config.layer`, 'layer']);
    }
  }
}

/** A node in a model or layer position must be `{className, config}` of the right kind. */
function assertClass(node: unknown, path: string, role: 'model' | 'layer', where: string): ClassEntry[0] {
  const className = isRecord(node) ? field(node, 'className') : undefined;
  const cls = typeof className === 'string' ? registeredClass(tfCamelCase(className)) : undefined;
  const base = role === 'model' ? tf.LayersModel : tf.layers.Layer;
  if (cls === undefined || !(cls === base || cls.prototype instanceof base)) {
    throw new ModelFileError(
      'unknown-class',
      `${where}: ${path} must be {className, config} naming a registered ${role} class, but names ` +
        `${JSON.stringify(className)}; ${REGISTER_HINT}`,
    );
  }
  return cls;
}
