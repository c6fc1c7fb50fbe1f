import * as tf from '@tensorflow/tfjs';
import { ConfigError } from './errors.js';

/** A layer as it appears inside a saved config: `{className, config}`. */
export type SerializedLayer = {
  className: string;
  config: tf.serialization.ConfigDict;
};

/** Plain-object test that does not trust the prototype of what it reads. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Rebuilds a layer from `{className, config}`, looking the class up in the
 * `tf.serialization` registry by own key only, so a name like `__proto__` or
 * `constructor` never reaches the prototype chain, and refusing any class
 * that is not a layer.
 */
export function deserializeLayer(serialized: unknown, where: string): tf.layers.Layer {
  if (
    !isPlainObject(serialized) ||
    typeof serialized['className'] !== 'string' ||
    !isPlainObject(serialized['config'])
  ) {
    throw new ConfigError(
      `${where} must be {className: string, config: object}, but received ${JSON.stringify(serialized)?.slice(0, 200)}`,
    );
  }
  const className = serialized['className'];
  const registry = tf.serialization.SerializationMap.getMap().classNameMap;
  if (!Object.prototype.hasOwnProperty.call(registry, className)) {
    throw new ConfigError(
      `${where} names the class "${className}", which is not a registered TF.js layer; ` +
        `register custom layers with tf.serialization.registerClass before loading`,
    );
  }
  const [cls, fromConfig] = registry[className];
  if (!(cls.prototype instanceof tf.layers.Layer)) {
    throw new ConfigError(`${where} names the class "${className}", which is registered but is not a layer`);
  }
  return fromConfig(cls, { ...(serialized['config'] as tf.serialization.ConfigDict) }) as unknown as tf.layers.Layer;
}

/** The `{className, config}` form of a layer, as `model.toJSON()` nests it. */
export function serializeLayer(layer: tf.layers.Layer): SerializedLayer {
  return { className: layer.getClassName(), config: layer.getConfig() };
}
